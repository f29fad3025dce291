// Runs the router as its own process (compose.yaml; `node --import tsx router/src/main.ts`).
import { loadSupergraphSdl } from '@meridian/schema';
import {
  closeOnSignal,
  createLogger,
  exitOnStartupError,
  planShutdown,
  readCommonConfig,
  remoteKeyResolver,
  resolveRouterTokenKeys,
  serviceName,
  startTracing,
} from '@meridian/platform';
import { readRouterConfig, startRouter } from './router.js';

const common = readCommonConfig();
const logger = createLogger({ service: 'router', level: common.logLevel, format: common.logFormat });

try {
  const tracing = await startTracing({ serviceName: serviceName('router') });
  const config = readRouterConfig();
  const router = await startRouter({
    common,
    config,
    logger,
    supergraphSdl: await loadSupergraphSdl(),
    ...(await resolveRouterTokenKeys(common)),
    accessTokenKeys: remoteKeyResolver(config.authJwksUrl),
  });
  closeOnSignal(
    logger,
    async () => {
      await router.close({ drainUntil: planShutdown(common.shutdownTimeoutMs).drainUntil });
      await tracing.shutdown();
    },
    { timeoutMs: common.shutdownTimeoutMs },
  );
} catch (error) {
  exitOnStartupError(logger)(error);
}
