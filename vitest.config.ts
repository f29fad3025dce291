import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * System tests: whole graphs as separate processes, injected faults (cut connections, killed and
 * SIGTERM'd services, a stalled database), real browsers, timing measurements and the benchmark's
 * smoke run. `pnpm test:system` runs them; `bash .ci/run` runs them after `pnpm test`.
 */
export const SYSTEM_TESTS = [
  'bench/bench.test.ts',
  'tests/browser-app.test.ts',
  'tests/checkout-crash.test.ts',
  'tests/connection-faults.test.ts',
  'tests/database-timeouts.test.ts',
  'tests/egress.test.ts',
  'tests/embedded-lock.test.ts',
  'tests/embedded.test.ts',
  'tests/observability.test.ts',
  'tests/payments-crash.test.ts',
  'tests/processes.test.ts',
  'tests/recovery.test.ts',
  'tests/replicas.test.ts',
  'tests/shutdown.test.ts',
  'tests/start-commands.test.ts',
  'tests/subgraph-calls.test.ts',
  'tests/timing.test.ts',
];

const exclude = ['**/node_modules/**', '.data/**'];

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS build, which @apollo/subgraph and @apollo/gateway load;
    // Vite would pick the ESM build for our sources, and two copies of graphql cannot share a schema.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql', { paths: [require.resolve('@meridian/platform')] }) }],
  },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'main', isolate: false, include: ['**/*.test.ts'], exclude: [...exclude, ...SYSTEM_TESTS] } },
      { extends: true, test: { name: 'system', include: SYSTEM_TESTS, exclude } },
    ],
  },
});
