// Runs the users subgraph as its own process (compose.yaml; `node --import tsx subgraphs/users/src/main.ts`, README "Running the services separately").
import { runSubgraphProcess } from '@meridian/db';
import { readUsersConfig, startUsersService } from './service.js';

await runSubgraphProcess('users', readUsersConfig, startUsersService);
