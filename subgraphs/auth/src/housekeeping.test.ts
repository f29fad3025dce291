import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, migrateDatabase } from '@meridian/db';
import { createLogger } from '@meridian/platform';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/database.js';
import { createAuthDb } from './db.js';
import { createHousekeeping } from './housekeeping.js';

let database: TestDatabase;
let sql: ReturnType<typeof createPool>;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateDatabase(database.url);
  sql = createPool(database.url, { max: 2 });
});
afterAll(async () => {
  await sql?.end();
  await database?.drop();
});

describe('housekeeping', () => {
  it('deletes expired and long-ended rows and keeps live ones', async () => {
    const [user] = await sql`insert into auth.users (id, email, password_hash) values (gen_random_uuid(), 'keep@example.com', 'x') returning id`;
    const sessions = await sql`
      insert into auth.sessions (id, user_id, expires_at, revoked_at) values
        (gen_random_uuid(), ${user!.id}, now() + interval '1 day', null),
        (gen_random_uuid(), ${user!.id}, now() + interval '1 day', now() - interval '31 days'),
        (gen_random_uuid(), ${user!.id}, now() - interval '2 days', null)
      returning id`;
    await sql`insert into auth.refresh_tokens (id, session_id, token_hash, expires_at) values
      (gen_random_uuid(), ${sessions[0]!.id}, 'live', now() + interval '1 day'),
      (gen_random_uuid(), ${sessions[0]!.id}, 'old', now() - interval '2 days')`;
    await sql`insert into auth.outbox (id, kind, sent_at) values (gen_random_uuid(), 'mail', now() - interval '8 days'), (gen_random_uuid(), 'mail', null)`;

    await createHousekeeping({ db: createAuthDb(sql), log: createLogger({ service: 'test', level: 'silent' }) }).run();

    expect((await sql`select id from auth.sessions`).map((row) => row.id)).toEqual([sessions[0]!.id]);
    expect((await sql`select token_hash from auth.refresh_tokens`).map((row) => row.token_hash)).toEqual(['live']);
    expect((await sql`select sent_at from auth.outbox`).map((row) => row.sent_at)).toEqual([null]);
  });
});
