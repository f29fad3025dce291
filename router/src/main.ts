// Runs the router as its own process (compose.yaml; `pnpm --filter @meridian/router start`).
import { loadSupergraphSdl } from '@meridian/schema';
import { closeOnSignal, createLogger, exitOnStartupError, readCommonConfig, remoteKeyResolver, resolveRouterSigningKeys } from '@meridian/platform';
import { readRouterConfig, startRouter } from './router.js';

const common = readCommonConfig();
const logger = createLogger({ service: 'router', level: common.logLevel });

try {
  const config = readRouterConfig();
  const router = await startRouter({
    common,
    config,
    logger,
    supergraphSdl: await loadSupergraphSdl(),
    signingKeys: await resolveRouterSigningKeys(common),
    accessTokenKeys: remoteKeyResolver(config.authJwksUrl),
  });
  closeOnSignal(logger, () => router.close());
} catch (error) {
  exitOnStartupError(logger)(error);
}
