// @graphql-hive/gateway with the runtime of @graphql-hive/router-runtime: Hive Router's Rust query planner (a native
// addon) and its executor, still hosted in Node, as `hive-gateway --hive-router-runtime` runs it.
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { serveHiveGateway } from './hive-gateway-server.js';

await serveHiveGateway('hive gateway (Rust query planner)', { unifiedGraphHandler });
