// Runs the inventory subgraph as its own process (compose.yaml; `node --import tsx subgraphs/inventory/src/main.ts`, README "Running the services separately").
import { runSubgraphProcess } from '@meridian/db';
import { readInventoryConfig, startInventoryService } from './service.js';

await runSubgraphProcess('inventory', readInventoryConfig, startInventoryService);
