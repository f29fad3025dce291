// @graphql-hive/gateway with its default runtime (the JavaScript query planner).
import { serveHiveGateway } from './hive-gateway-server.js';

await serveHiveGateway('hive gateway');
