// Runs the catalog subgraph as its own process (compose.yaml; `node --import tsx subgraphs/catalog/src/main.ts`, README "Running the services separately").
import { runSubgraphProcess } from '@meridian/db';
import { readCatalogConfig, startCatalogService } from './service.js';

await runSubgraphProcess('catalog', readCatalogConfig, startCatalogService);
