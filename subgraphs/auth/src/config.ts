import { availableParallelism } from 'node:os';
import { readInt, readUrl } from '@meridian/platform';

type Env = Record<string, string | undefined>;

export interface AuthConfig {
  port: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  sessionMaxAgeSeconds: number;
  passwordHashConcurrency: number;
  passwordHashQueueLimit: number;
  routerUrl: string;
}

const DAY = 24 * 60 * 60;

/**
 * argon2 runs on libuv's thread pool (UV_THREADPOOL_SIZE, 4 by default), which token signing and
 * verification, file access and DNS also need: hashing may take all CPUs but must leave two threads.
 */
function defaultHashConcurrency(env: Env): number {
  const poolSize = Number(env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(availableParallelism(), poolSize - 2));
}

export function readAuthConfig(env: Env = process.env): AuthConfig {
  return {
    port: readInt(env, 'AUTH_PORT', 4001, { min: 0, max: 65535 }),
    accessTokenTtlSeconds: readInt(env, 'ACCESS_TOKEN_TTL_SECONDS', 15 * 60, { min: 30, max: 60 * 60 }),
    refreshTokenTtlSeconds: readInt(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * DAY, { min: 60 }),
    sessionMaxAgeSeconds: readInt(env, 'SESSION_MAX_AGE_SECONDS', 90 * DAY, { min: 60 }),
    passwordHashConcurrency: readInt(env, 'PASSWORD_HASH_CONCURRENCY', defaultHashConcurrency(env), { min: 1, max: 64 }),
    passwordHashQueueLimit: readInt(env, 'PASSWORD_HASH_QUEUE_LIMIT', 64, { min: 0 }),
    routerUrl: readUrl(env, 'ROUTER_URL', 'http://localhost:4000/graphql'),
  };
}
