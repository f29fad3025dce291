// Runs the cart subgraph as its own process (compose.yaml; `node --import tsx subgraphs/cart/src/main.ts`, README "Running the services separately").
import { runSubgraphProcess } from '@meridian/db';
import { readCartConfig, startCartService } from './service.js';

await runSubgraphProcess('cart', readCartConfig, startCartService);
