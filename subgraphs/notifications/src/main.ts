// Runs the notifications subgraph and its worker as their own process (compose.yaml; `node --import tsx subgraphs/notifications/src/main.ts`).
import { runSubgraphProcess } from '@meridian/db';
import { readNotificationsConfig, startNotificationsService } from './service.js';

await runSubgraphProcess('notifications', readNotificationsConfig, startNotificationsService);
