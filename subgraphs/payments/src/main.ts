// Runs the payments subgraph as its own process (compose.yaml; `node --import tsx subgraphs/payments/src/main.ts`, README "Running the services separately").
import { runSubgraphProcess } from '@meridian/db';
import { readPaymentsConfig, startPaymentsService } from './service.js';

await runSubgraphProcess('payments', readPaymentsConfig, startPaymentsService);
