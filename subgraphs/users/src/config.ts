import { readInt } from '@meridian/platform';

type Env = Record<string, string | undefined>;

export interface UsersConfig {
  port: number;
}

export function readUsersConfig(env: Env = process.env): UsersConfig {
  return {
    port: readInt(env, 'USERS_PORT', 4002, { min: 0, max: 65535 }),
  };
}
