// Runs the orders subgraph as its own process (compose.yaml; `node --import tsx subgraphs/orders/src/main.ts`, README "Running the services separately").
import { runSubgraphProcess } from '@meridian/db';
import { readOrdersConfig, startOrdersService } from './service.js';

await runSubgraphProcess('orders', readOrdersConfig, startOrdersService);
