// Runs the router as its own process (compose.yaml; `node --import tsx router/src/main.ts`).
import { loadSupergraphSdl } from '@meridian/schema';
import { closeOnSignal, createLogger, exitOnStartupError, planShutdown, readCommonConfig, remoteKeyResolver, resolveRouterSigningKeys } from '@meridian/platform';
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
  closeOnSignal(logger, () => router.close({ drainUntil: planShutdown(common.shutdownTimeoutMs).drainUntil }), { timeoutMs: common.shutdownTimeoutMs });
} catch (error) {
  exitOnStartupError(logger)(error);
}
