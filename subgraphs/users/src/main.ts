// Runs the users subgraph as its own process (compose.yaml; `pnpm --filter @meridian/users start`).
import { createPool } from '@meridian/db';
import {
  closeOnSignal,
  createLogger,
  exitOnStartupError,
  readCommonConfig,
  readDatabaseConfig,
  remoteKeyResolver,
  resolveRouterVerificationKeys,
} from '@meridian/platform';
import { readUsersConfig, startUsersService } from './service.js';

const common = readCommonConfig();
const logger = createLogger({ service: 'users', level: common.logLevel });

try {
  const config = readUsersConfig();
  const database = readDatabaseConfig();
  const sql = createPool(database.url, { max: database.poolMax, applicationName: 'meridian-users' });
  const service = await startUsersService({
    common,
    config,
    sql,
    logger,
    routerKeys: await resolveRouterVerificationKeys(common),
    accessTokenKeys: remoteKeyResolver(config.authJwksUrl),
  });
  closeOnSignal(logger, async () => {
    await service.close();
    await sql.end({ timeout: 5 });
  });
} catch (error) {
  exitOnStartupError(logger)(error);
}
