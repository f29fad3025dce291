export { DatabaseTimeoutError, createPool, isReachable, type DatabaseTimeoutCode, type PoolOptions, type Sql } from './pool.js';
export { batchRead } from './batch-read.js';
export { migrateDatabase, migrationsFolder } from './migrate.js';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
export { DataDirectoryInUseError } from './data-dir.lock.js';
export { SERVICE_SCHEMAS, serviceRoleGrants, type ServiceSchema } from './roles.js';
export { runSubgraphProcess, type SubgraphProcessDeps } from './subgraph-process.js';
