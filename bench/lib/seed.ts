import argon2 from 'argon2';
import type { Sql } from 'postgres';

export const BENCH_PASSWORD = 'a benchmark passphrase';
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Users with verified accounts, a profile and two addresses each (one the default shipping address),
 * written with SQL: a benchmark fixture, so thousands of sign-ups need not each cost an argon2 hash
 * and an e-mail round trip. Every user shares one password hash.
 */
export async function seedUsers(sql: Sql, count: number): Promise<{ id: string; email: string }[]> {
  const passwordHash = await argon2.hash(BENCH_PASSWORD, ARGON2_OPTIONS);
  const users = await sql<{ id: string; email: string }[]>`
    insert into auth.users (id, email, password_hash, email_verified, locale)
    select gen_random_uuid(), 'user-' || n || '@bench.example', ${passwordHash}, true, 'en-GB'
    from generate_series(1, ${count}) as n
    returning id, email`;
  await sql`
    insert into users.addresses (id, user_id, full_name, line1, city, postal_code, country_code)
    select gen_random_uuid(), u.id, 'Bench User', k || ' Rue de Rivoli', 'Paris', '75001', 'FR'
    from auth.users u cross join generate_series(1, 2) as k`;
  await sql`
    insert into users.profiles (user_id, display_name, preferred_locale, default_shipping_address_id)
    select u.id, 'Bench User', 'en-GB', (select a.id from users.addresses a where a.user_id = u.id order by a.id limit 1)
    from auth.users u`;
  return users;
}
