import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, parse, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ERASURE_ROLE, ACCOUNT_ERASURE_TARGETS } from '@meridian/auth';
import { SUBGRAPHS, loadPersistedQueryManifest, type PersistedQueryManifest } from '@meridian/schema';
import { eventually } from './support/eventually.js';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';
import type { ReceivedMail } from './support/mailbox.js';

// The graph runs only the operations of the persisted query list (PERSISTED_QUERIES=safelist, the
// production default), so the erasure and the profile seed the auth service sends through the router
// are proven to pass it; the test sends every operation exactly as listed.
let graph: TestGraph;
let manifest: PersistedQueryManifest;
beforeAll(async () => {
  manifest = await loadPersistedQueryManifest();
  graph = await startTestGraph({ env: { PERSISTED_QUERIES: 'safelist' } });
});
afterAll(() => graph?.stop());

function send<T = Record<string, Record<string, unknown>>>(operation: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  const listed = manifest.operations.find((candidate) => candidate.name === operation);
  if (!listed) throw new Error(`${operation} is not in the persisted query list`);
  return graph.request<T>(listed.body, variables, token ? { token } : {});
}

const data = (response: GraphQLResponse, field: string) => (response.body.data as Record<string, Record<string, unknown>> | undefined)?.[field];
const linkTo = (to: string, path: string) => (mail: ReceivedMail) => mail.to === to && mail.link?.includes(path) === true;

interface Account {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

async function signUp(email: string, password: string, displayName?: string): Promise<Account> {
  const seen = new Set(graph.mailbox.to(email));
  const registered = await send('Register', { input: { email, password, ...(displayName ? { displayName } : {}) } });
  expect(data(registered, 'register')).toMatchObject({ __typename: 'VerificationEmailSent' });
  const mail = await graph.mailbox.waitFor((received) => linkTo(email, '/verify-email')(received) && !seen.has(received));
  const verified = data(await send('VerifyEmail', { token: mail.token }), 'verifyEmail') as { __typename: string; accessToken: string; refreshToken: string; user: { id: string } };
  expect(verified.__typename).toBe('AuthSession');
  return { id: verified.user.id, email, password, accessToken: verified.accessToken, refreshToken: verified.refreshToken };
}

/** Every row of every table of every service's schema, as JSON text. */
async function everyRow(): Promise<{ table: string; row: string }[]> {
  const tables = await graph.sql<{ schema: string; name: string }[]>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema', 'drizzle')
    order by 1, 2`;
  expect(tables.map((table) => table.schema)).toEqual(expect.arrayContaining(['auth', 'users']));
  const rows = await Promise.all(
    tables.map(async ({ schema, name }) => {
      const table = `${schema}.${name}`;
      const found = await graph.sql.unsafe<{ row: string }[]>(`select row_to_json(t)::text as row from "${schema}"."${name}" t`);
      return found.map(({ row }) => ({ table, row }));
    }),
  );
  return rows.flat();
}

/** Every message due by now is delivered (a deleted account's second erasure waits for its last access token to expire). */
async function outboxDrained() {
  await eventually(async () =>
    expect(await graph.sql`select id from auth.outbox where sent_at is null and dead_at is null and next_attempt_at < now() + interval '10 minutes'`).toEqual([]),
  );
}

describe('deleteAccount', () => {
  const marker = randomUUID().slice(0, 8);
  const email = `delete-me-${marker}@example.com`;
  const movedTo = `moved-${marker}@example.com`;
  const password = 'a passphrase to delete with';
  const personal = {
    displayName: `Quintessa Marblewood ${marker}`,
    phone: '+44 20 7946 0321',
    phoneStored: '442079460321',
    fullName: `Quintessa M. ${marker}`,
    company: `Marblewood Holdings ${marker}`,
    line1: `17 Cherry Tree Lane ${marker}`,
    line2: `Flat ${marker}`,
    city: `Edinburgh ${marker}`,
  };
  let account: Account;
  let otherDevice: { accessToken: string; refreshToken: string };
  let resetToken: string;
  let changeToken: string;

  beforeAll(async () => {
    account = await signUp(email, password, personal.displayName);
    // The name given at sign-up reaches the users service through the router (SeedProfile, a listed service operation).
    await eventually(async () => expect(data(await send('Me', {}, account.accessToken), 'me')).toMatchObject({ profile: { displayName: personal.displayName } }));
    expect(data(await send('UpdateProfile', { input: { phone: personal.phone } }, account.accessToken), 'updateProfile')).toMatchObject({ __typename: 'ProfileUpdated' });
    const home = data(
      await send('AddAddress', { input: { fullName: personal.fullName, company: personal.company, line1: personal.line1, line2: personal.line2, city: personal.city, postalCode: 'EH1 1YZ', countryCode: 'GB', phone: personal.phone } }, account.accessToken),
      'addAddress',
    ) as { __typename: string; address: { id: string } };
    expect(home.__typename).toBe('AddressAdded');
    await send('AddAddress', { input: { fullName: personal.fullName, line1: personal.line1, city: personal.city, region: 'NY', postalCode: '10001', countryCode: 'US' } }, account.accessToken);
    await send('SetDefaultAddress', { id: home.address.id, kind: 'SHIPPING' }, account.accessToken);
    const login = data(await send('Login', { input: { email, password } }), 'login') as { __typename: string; accessToken: string; refreshToken: string };
    expect(login.__typename).toBe('AuthSession');
    otherDevice = login;
    // Links still waiting to be followed when the account goes.
    await send('RequestPasswordReset', { email });
    resetToken = (await graph.mailbox.waitFor(linkTo(email, '/reset-password'))).token!;
    expect(data(await send('RequestEmailChange', { newEmail: movedTo, password }, account.accessToken), 'requestEmailChange')).toMatchObject({ __typename: 'EmailChangeRequested' });
    changeToken = (await graph.mailbox.waitFor(linkTo(movedTo, '/confirm-email-change'))).token!;
    await outboxDrained();
  });

  it('refuses a wrong password with InvalidCredentials and changes nothing but the audit trail and the attempt counters', async () => {
    const changing = new Set(['auth.audit_events', 'auth.rate_limits']);
    const before = (await everyRow()).filter((row) => !changing.has(row.table));
    const refused = await send('DeleteAccount', { password: 'not the passphrase at all' }, account.accessToken);
    expect(data(refused, 'deleteAccount')).toEqual({ __typename: 'InvalidCredentials', code: 'INVALID_CREDENTIALS', message: 'The e-mail address or password is incorrect' });
    expect((await everyRow()).filter((row) => !changing.has(row.table))).toEqual(before);
    expect(data(await send('Me', {}, account.accessToken), 'me')).toMatchObject({ id: account.id, email });
  });

  it('ends every session, erases the account in every schema but for pseudonymous audit events, and frees the address', async () => {
    const deleted = await send('DeleteAccount', { password }, account.accessToken);
    expect(deleted.body.errors).toBeUndefined();
    expect(deleted.body.data).toEqual({ deleteAccount: { __typename: 'AccountDeleted', id: account.id, endedSessions: 2 } });

    // The users service erases its part when the outbox delivers the erasure (through the router).
    await eventually(async () => {
      expect(await graph.sql`select user_id from users.profiles where user_id = ${account.id}`).toEqual([]);
      expect(await graph.sql`select id from users.addresses where user_id = ${account.id}`).toEqual([]);
    });
    await outboxDrained();

    const needles = [account.id, email, movedTo, personal.displayName, personal.phoneStored, personal.fullName, personal.company, personal.line1, personal.line2, personal.city];
    const rows = await everyRow();
    const mentioning = rows.filter(({ row }) => needles.some((needle) => row.toLowerCase().includes(needle.toLowerCase())));
    expect(mentioning.filter(({ table }) => table !== 'auth.audit_events')).toEqual([]);
    // What is left is the audit trail under the (now pseudonymous) id: no address, name, network or device.
    const events = mentioning.map(({ row }) => JSON.parse(row) as { kind: string; user_id: string; ip_network: string | null; user_agent: string | null });
    expect(events.length).toBeGreaterThan(3);
    for (const event of events) expect({ userId: event.user_id, ipNetwork: event.ip_network, userAgent: event.user_agent }).toEqual({ userId: account.id, ipNetwork: null, userAgent: null });
    for (const { row } of mentioning) for (const needle of needles.slice(1)) expect(row.toLowerCase()).not.toContain(needle.toLowerCase());
    expect(events.map((event) => event.kind)).toEqual(expect.arrayContaining(['account_deleted', 'session_revoked', 'email_verified']));

    // The ended sessions stay for the router's denylist, with nothing about the person or the device.
    const sessionIds = [account.accessToken, otherDevice.accessToken].map((token) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid);
    const sessions = await graph.sql`select user_id, user_agent, device_label, ip_network, revoked_at is not null as ended from auth.sessions where id = any(${sessionIds})`;
    expect(sessions).toEqual(sessionIds.map(() => ({ user_id: null, user_agent: null, device_label: null, ip_network: null, ended: true })));
    expect(await graph.sql`select id from auth.refresh_tokens where session_id = any(${sessionIds})`).toEqual([]);

    // Both devices' access tokens are refused by the router, their refresh tokens and the links are dead.
    for (const token of [account.accessToken, otherDevice.accessToken]) {
      await eventually(async () => {
        const response = await send('Me', {}, token);
        expect(response.status).toBe(401);
        expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }, 5_000);
    }
    expect(data(await send('RefreshSession', { refreshToken: otherDevice.refreshToken }), 'refreshSession')).toMatchObject({ __typename: 'InvalidRefreshToken' });
    expect(data(await send('ResetPassword', { token: resetToken, newPassword: 'a brand new passphrase' }), 'resetPassword')).toMatchObject({ __typename: 'InvalidToken' });
    expect(data(await send('ConfirmEmailChange', { token: changeToken }), 'confirmEmailChange')).toMatchObject({ __typename: 'InvalidToken' });
    expect(data(await send('Login', { input: { email, password } }), 'login')).toMatchObject({ __typename: 'InvalidCredentials' });

    // The address is free: it signs up again as a new account, with nothing of the old one.
    const again = await signUp(email, 'another passphrase entirely');
    expect(again.id).not.toBe(account.id);
    expect(data(await send('Me', {}, again.accessToken), 'me')).toMatchObject({
      id: again.id,
      email,
      profile: { displayName: null, phone: null },
      addresses: [],
      defaultShippingAddress: null,
    });
  });

  it('erases once more after the access-token lifetime, so a write made with a token the router still let through goes too', async () => {
    const [sweep] = await graph.sql<{ id: string; due_in_seconds: number }[]>`
      select id, extract(epoch from next_attempt_at - now())::int as due_in_seconds from auth.outbox
      where kind = 'account_erasure' and sent_at is null`;
    // ACCESS_TOKEN_TTL_SECONDS (15 minutes) and a minute.
    expect(sweep?.due_in_seconds).toBeGreaterThan(15 * 60);
    expect(sweep?.due_in_seconds).toBeLessThanOrEqual(16 * 60);
    // A token of the deleted account that a router unable to read the denylist would still let through.
    const stale = await graph.mintAccessToken({ userId: account.id });
    const late = await send('AddAddress', { input: { fullName: personal.fullName, line1: personal.line1, city: personal.city, postalCode: 'EH1 1YZ', countryCode: 'GB' } }, stale);
    expect(data(late, 'addAddress')).toMatchObject({ __typename: 'AddressAdded' });
    await graph.sql`update auth.outbox set next_attempt_at = now() where id = ${sweep!.id}`;
    await eventually(async () => expect(await graph.sql`select id from users.addresses where user_id = ${account.id}`).toEqual([]));
  });
});

describe('the erasure in the users service', () => {
  it('is refused to anyone without the erasure role, admins included, and erases nothing', async () => {
    const customer = await signUp(`keeper-${randomUUID().slice(0, 8)}@example.com`, 'a passphrase to keep');
    await send('AddAddress', { input: { fullName: 'Kept Person', line1: '1 Kept Road', city: 'Keswick', postalCode: 'CA12 5DJ', countryCode: 'GB' } }, customer.accessToken);
    const admin = await graph.mintAccessToken({ userId: customer.id, roles: ['customer', 'admin'] });
    for (const token of [customer.accessToken, admin]) {
      const refused = await send('EraseUsersAccountData', {}, token);
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await graph.count('users.addresses')).toBeGreaterThan(0);
    expect(await graph.sql`select id from users.addresses where user_id = ${customer.id}`).toHaveLength(1);
  });

  it('erases once for the erasure role and answers the same when nothing is left', async () => {
    const customer = await signUp(`erased-${randomUUID().slice(0, 8)}@example.com`, 'a passphrase to erase');
    await send('AddAddress', { input: { fullName: 'Gone Person', line1: '1 Gone Road', city: 'Goole', postalCode: 'DN14 5AA', countryCode: 'GB' } }, customer.accessToken);
    const eraser = await graph.mintAccessToken({ userId: customer.id, roles: [ACCOUNT_ERASURE_ROLE] });
    for (let attempt = 0; attempt < 2; attempt++) {
      const erased = await send('EraseUsersAccountData', {}, eraser);
      expect({ data: erased.body.data, errors: erased.body.errors }).toEqual({ data: { eraseUsersAccountData: { __typename: 'AccountDataErased', userId: customer.id } }, errors: undefined });
    }
    expect(await graph.sql`select id from users.addresses where user_id = ${customer.id}`).toEqual([]);
  });
});

describe('the erasure delivery', () => {
  it('is retried until the users service has erased the account, never given up', async () => {
    const leaving = await signUp(`retried-${randomUUID().slice(0, 8)}@example.com`, 'a passphrase for retries');
    await send('UpdateProfile', { input: { displayName: 'Retried Person' } }, leaving.accessToken);
    // A fault in the users service's database: deleting this profile fails until the trigger goes.
    await graph.sql.unsafe(`
      create function users.refuse_erasure() returns trigger language plpgsql as $$ begin raise exception 'profile locked for the test'; end $$;
      create trigger refuse_erasure before delete on users.profiles for each row when (old.user_id = '${leaving.id}') execute function users.refuse_erasure();`);
    try {
      expect(data(await send('DeleteAccount', { password: leaving.password }, leaving.accessToken), 'deleteAccount')).toMatchObject({ __typename: 'AccountDeleted' });
      const failing = async (attempts: number) =>
        eventually(async () => {
          const [row] = await graph.sql<{ id: string; attempts: number; last_error: string | null; dead: boolean; due_later: boolean; payload: boolean }[]>`
            select id, attempts, last_error, dead_at is not null as dead, next_attempt_at > now() as due_later, payload is not null as payload
            from auth.outbox where kind = 'account_erasure' and sent_at is null and attempts > 0`;
          expect(row).toMatchObject({ attempts, dead: false, due_later: true, payload: true });
          return row!;
        });
      const first = await failing(1);
      expect(first.last_error).toMatch(/^EraseUsersAccountData answered/);
      expect(first.last_error).not.toContain(leaving.id);
      // Where any other message would be given up, the tenth failed attempt of an erasure is retried.
      await graph.sql`update auth.outbox set attempts = 9, next_attempt_at = now() where id = ${first.id}`;
      await failing(10);
      expect(await graph.sql`select user_id from users.profiles where user_id = ${leaving.id}`).toHaveLength(1);
    } finally {
      await graph.sql.unsafe('drop trigger refuse_erasure on users.profiles; drop function users.refuse_erasure();');
    }
    await graph.sql`update auth.outbox set next_attempt_at = now() where kind = 'account_erasure' and sent_at is null`;
    await eventually(async () => expect(await graph.sql`select user_id from users.profiles where user_id = ${leaving.id}`).toEqual([]));
    await outboxDrained();
  });
});

describe('account erasure targets', () => {
  // A subgraph that resolves fields of User, or keeps rows by user id (the notifications service's deliveries), keeps
  // data about the person: deleting the account must reach it.
  it('lists every subgraph that adds fields to User or stores user ids, each with a listed operation that requires the erasure role', async () => {
    const addingUserFields = SUBGRAPHS.filter((subgraph) => {
      if (subgraph.name === 'auth' || 'standalone' in subgraph) return false;
      const sdl = parse(readFileSync(subgraph.schemaFile, 'utf8'));
      return sdl.definitions.some(
        (definition) =>
          (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
          definition.name.value === 'User' &&
          (definition as ObjectTypeDefinitionNode | ObjectTypeExtensionNode).fields?.some((field) => field.name.value !== 'id'),
      );
    });
    // Each service's database schema is named after it.
    const storingUserIds = await graph.sql<{ schema: string }[]>`
      select distinct table_schema as schema from information_schema.columns
      where column_name = 'user_id' and table_schema not in ('auth', 'pg_catalog', 'information_schema', 'drizzle')`;
    const keepingUserData = new Set([...addingUserFields.map((subgraph) => subgraph.name), ...storingUserIds.map((row) => row.schema)]);
    expect(storingUserIds.map((row) => row.schema)).toContain('notifications');
    expect([...keepingUserData].sort()).toEqual(Object.keys(ACCOUNT_ERASURE_TARGETS).sort());
    for (const [name, operation] of Object.entries(ACCOUNT_ERASURE_TARGETS)) {
      expect(manifest.operations.find((listed) => listed.name === operation)?.type).toBe('mutation');
      const subgraph = SUBGRAPHS.find((candidate) => candidate.name === name)!;
      const field = `erase${name[0]!.toUpperCase()}${name.slice(1)}AccountData`;
      expect(readFileSync(subgraph.schemaFile, 'utf8')).toMatch(new RegExp(`${field}: \\w+! @requiresScopes\\(scopes: \\[\\["${ACCOUNT_ERASURE_ROLE}"\\]\\]\\)`));
    }
  });
});

describe('mail not yet sent', () => {
  it('is dropped with the account when it is addressed to it', async () => {
    const leaving = await signUp(`unsent-${randomUUID().slice(0, 8)}@example.com`, 'a passphrase for unsent mail');
    await outboxDrained();
    // The mail relay refuses the address for now: the reset mail stays in the outbox, to be retried.
    graph.mailbox.refuse(leaving.email);
    await send('RequestPasswordReset', { email: leaving.email });
    const unsent = await eventually(async () => {
      const rows = await graph.sql<{ id: string }[]>`select id from auth.outbox where kind = 'mail' and sent_at is null and attempts > 0`;
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(data(await send('DeleteAccount', { password: leaving.password }, leaving.accessToken), 'deleteAccount')).toMatchObject({ __typename: 'AccountDeleted' });
    expect(await graph.sql`select id from auth.outbox where id = ${unsent[0]!.id}`).toEqual([]);
  });
});
