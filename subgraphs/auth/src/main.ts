// Runs the auth subgraph as its own process (compose.yaml; `pnpm --filter @meridian/auth start`).
import { createPool } from '@meridian/db';
import {
  closeOnSignal,
  createLogger,
  exitOnStartupError,
  readCommonConfig,
  readDatabaseConfig,
  resolveAuthSigningKeys,
  resolveRouterVerificationKeys,
} from '@meridian/platform';
import { readAuthConfig, resolveAuthSecret, startAuthService } from './service.js';

const common = readCommonConfig();
const logger = createLogger({ service: 'auth', level: common.logLevel });

try {
  const database = readDatabaseConfig();
  const sql = createPool(database.url, { max: database.poolMax, applicationName: 'meridian-auth' });
  const service = await startAuthService({
    common,
    config: readAuthConfig(),
    sql,
    logger,
    signingKeys: await resolveAuthSigningKeys(common),
    secret: await resolveAuthSecret(common),
    routerKeys: await resolveRouterVerificationKeys(common),
  });
  closeOnSignal(logger, async () => {
    await service.close();
    await sql.end({ timeout: 5 });
  });
} catch (error) {
  exitOnStartupError(logger)(error);
}
