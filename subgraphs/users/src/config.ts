import { readInt } from '@meridian/platform';

type Env = Record<string, string | undefined>;

export interface UsersConfig {
  port: number;
  /** Where the auth service publishes the keys that sign access tokens. */
}

export function readUsersConfig(env: Env = process.env): UsersConfig {
  return {
    port: readInt(env, 'USERS_PORT', 4002, { min: 0, max: 65535 }),
  };
}
