import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_SCHEMA_FILE } from '@meridian/auth';
import { readSubgraphSdl, undeclaredFields } from '@meridian/platform';
import { USERS_SCHEMA_FILE } from '@meridian/users';
import { op, startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';
import { registerUser, sampleAddress, type SignedInUser } from './support/seed.js';

// @apollo/subgraph is a dependency of the platform package, not of the tests: load the very copy
// the services build their schemas with.
const platformRequire = createRequire(createRequire(import.meta.url).resolve('@meridian/platform'));
const { buildSubgraphSchema } = platformRequire('@apollo/subgraph') as { buildSubgraphSchema: (module: { typeDefs: DocumentNode }) => GraphQLSchema };

let graph: TestGraph;
let alice: SignedInUser;
let bob: SignedInUser;

beforeAll(async () => {
  graph = await startTestGraph();
  alice = await registerUser(graph, { email: `alice-${randomUUID().slice(0, 8)}@example.com` });
  bob = await registerUser(graph, { email: `bob-${randomUUID().slice(0, 8)}@example.com` });
});
afterAll(() => graph?.stop());

type Payload = { __typename: string } & Record<string, unknown>;
type UserPage = {
  edges: { cursor: string; node: { email: string; roles: string[]; createdAt: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
};

const NOT_FOUND = { __typename: 'NotFound', code: 'NOT_FOUND', message: 'No such session' };
const INVALID_EMAIL = { __typename: 'InvalidEmail', code: 'INVALID_EMAIL', message: 'This is not a valid e-mail address' };
const REJECTED = 'Syntax Error: Query validation error.';

const sessionIdOf = (accessToken: string) => (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

/** Runs a client operation from schema/operations and returns its only root field. */
async function run<T extends Payload = Payload>(name: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await graph.request<Record<string, T>>(op(name), variables, token ? { token } : {});
  expect(response.body.errors).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

/** The rows of every table a refused request must leave alone (the outbox by count: its worker updates rows). */
async function state(): Promise<Record<string, unknown>> {
  const snapshot: Record<string, unknown> = { outbox: await graph.count('auth.outbox') };
  for (const table of ['auth.users', 'auth.registrations', 'auth.email_tokens', 'auth.sessions', 'auth.refresh_tokens', 'users.profiles', 'users.addresses']) {
    snapshot[table] = await graph.sql.unsafe(`select * from ${table} order by 1`);
  }
  return snapshot;
}

/** A request refused before execution: status, codes and messages, which must not give the limit away. */
function expectRefused(response: GraphQLResponse, ...hiddenNumbers: number[]) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  const messages = response.body.errors?.map((error) => error.message) ?? [];
  expect(messages).toContain(REJECTED);
  expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(messages.map(() => 'GRAPHQL_VALIDATION_FAILED'));
  for (const number of hiddenNumbers) for (const message of messages) expect(message).not.toContain(String(number));
}

describe('every field declares who may read it', () => {
  it.each([
    ['auth', AUTH_SCHEMA_FILE],
    ['users', USERS_SCHEMA_FILE],
  ])('the %s subgraph, built as the service builds it, has no undeclared field', async (_name, file) => {
    const schema = buildSubgraphSchema({ typeDefs: parse(await readSubgraphSdl(file)) });
    expect(Object.keys(schema.getQueryType()!.getFields()).length).toBeGreaterThan(0);
    expect(undeclaredFields(schema)).toEqual([]);
  });

  it('catches a field without a declaration, in a made-up schema and in the real one', async () => {
    const made = buildSubgraphSchema({
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated"])
        directive @public on FIELD_DEFINITION | OBJECT
        directive @private(owner: String! = "id") on FIELD_DEFINITION | OBJECT
        type Query { open: String @public  leaky: String  mine: Thing @authenticated }
        type Thing @key(fields: "id") { id: ID! @public  secret: String }
        type Owned @private(owner: "userId") { note: String }
      `),
    });
    expect(undeclaredFields(made).sort()).toEqual(['Query.leaky', 'Thing.secret']);

    const sdl = await readSubgraphSdl(AUTH_SCHEMA_FILE);
    const stripped = sdl.replace('me: User @public', 'me: User');
    expect(stripped).not.toBe(sdl);
    expect(undeclaredFields(buildSubgraphSchema({ typeDefs: parse(stripped) }))).toEqual(['Query.me']);
  });
});

describe('the admin-only users list', () => {
  const list = (variables: Record<string, unknown>, token?: string) =>
    graph.request<{ users: UserPage }>(
      op('Users'),
      variables,
      token ? { token } : {},
    );
  let admin: string;
  let staffBeforeGrant: string;
  const listed: string[] = [];

  beforeAll(async () => {
    for (const local of ['page_a', 'page%b', 'pagexc', 'page_d', 'pagee']) {
      listed.push((await registerUser(graph, { email: `${local}@list.example` })).email);
    }
    const staff = await registerUser(graph, { email: `staff-${randomUUID().slice(0, 8)}@example.com` });
    staffBeforeGrant = staff.accessToken;
    await graph.sql`update auth.users set roles = '{customer,admin}' where id = ${staff.id}`;
    admin = (await run<Payload & { accessToken: string }>('Login', { input: { email: staff.email, password: staff.password } })).accessToken;
  });

  it('refuses anonymous callers and customers', async () => {
    const anonymous = await list({});
    expect(anonymous.body).toEqual({ data: null, errors: [{ message: 'You must be signed in to do this', path: ['users'], extensions: { code: 'UNAUTHENTICATED' } }] });
    const customer = await list({}, alice.accessToken);
    expect(customer.body).toEqual({ data: null, errors: [{ message: 'You are not allowed to do this', path: ['users'], extensions: { code: 'FORBIDDEN' } }] });
    // Roles travel in the access token: one issued before the grant still reads as a customer's.
    expect((await list({}, staffBeforeGrant)).body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('lists users newest first for an admin, filtered by a part of the address (wildcards literal) or by role', async () => {
    const all = await list({ filter: { emailContains: '@LIST.example' } }, admin);
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data!.users.edges.map((edge) => edge.node.email)).toEqual([...listed].reverse());
    const times = all.body.data!.users.edges.map((edge) => Date.parse(edge.node.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.body.data!.users.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: all.body.data!.users.edges[0]!.cursor,
      endCursor: all.body.data!.users.edges.at(-1)!.cursor,
    });
    expect(all.body.data!.users.totalCount).toBe(5);

    const emails = async (filter: Record<string, unknown>) => (await list({ filter }, admin)).body.data!.users.edges.map((edge) => edge.node.email);
    expect(await emails({ emailContains: 'page_' })).toEqual(['page_d@list.example', 'page_a@list.example']);
    expect(await emails({ emailContains: '%' })).toEqual(['page%b@list.example']);
    expect(await emails({ emailContains: 'page%' })).toEqual(['page%b@list.example']);
    expect(await emails({ emailContains: '\\' })).toEqual([]);
    expect(await emails({ role: 'ADMIN' })).toEqual([expect.stringMatching(/^staff-/)]);
    expect(await emails({ role: 'ADMIN', emailContains: 'list.example' })).toEqual([]);
    // Roles are an enum: a role spelled as stored (lower case) is not one.
    expect((await list({ filter: { role: 'admin' } }, admin)).body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  const emailsOf = (page: UserPage) => page.edges.map((edge) => edge.node.email);
  const pageOf = async (variables: Record<string, unknown>) => {
    const response = await list({ filter: { emailContains: 'list.example' }, ...variables }, admin);
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.users;
  };
  const info = (page: UserPage, hasPreviousPage: boolean, hasNextPage: boolean) => ({
    hasNextPage,
    hasPreviousPage,
    startCursor: page.edges[0]?.cursor ?? null,
    endCursor: page.edges.at(-1)?.cursor ?? null,
  });

  it('pages forward with first and after', async () => {
    const first = await pageOf({ first: 2 });
    expect(emailsOf(first)).toEqual([listed[4], listed[3]]);
    expect(first.pageInfo).toEqual(info(first, false, true));
    const second = await pageOf({ first: 2, after: first.pageInfo.endCursor });
    expect(emailsOf(second)).toEqual([listed[2], listed[1]]);
    expect(second.pageInfo).toEqual(info(second, true, true));
    const third = await pageOf({ first: 2, after: second.pageInfo.endCursor });
    expect(emailsOf(third)).toEqual([listed[0]]);
    expect(third.pageInfo).toEqual(info(third, true, false));
    expect([first.totalCount, second.totalCount, third.totalCount]).toEqual([5, 5, 5]);
    // Cursors are stable: the same position gives the same cursor on another page.
    expect((await pageOf({ first: 3 })).edges[2]!.cursor).toBe(second.edges[0]!.cursor);
  });

  it('pages backward with last and before', async () => {
    const last = await pageOf({ last: 2 });
    expect(emailsOf(last)).toEqual([listed[1], listed[0]]);
    expect(last.pageInfo).toEqual(info(last, true, false));
    const before = await pageOf({ last: 2, before: last.pageInfo.startCursor });
    expect(emailsOf(before)).toEqual([listed[3], listed[2]]);
    expect(before.pageInfo).toEqual(info(before, true, true));
    const start = await pageOf({ last: 2, before: before.pageInfo.startCursor });
    expect(emailsOf(start)).toEqual([listed[4]]);
    expect(start.pageInfo).toEqual(info(start, false, true));
    // Between two cursors: after the newest and before the oldest leaves the three in the middle.
    const middle = await pageOf({ after: start.pageInfo.endCursor, before: last.pageInfo.endCursor });
    expect(emailsOf(middle)).toEqual([listed[3], listed[2], listed[1]]);
  });

  it('refuses first or last out of 0..100, both at once, and cursors it did not make, with BAD_USER_INPUT', async () => {
    const refused = async (variables: Record<string, unknown>) => {
      const response = await list(variables, admin);
      return { data: response.body.data, errors: response.body.errors?.map(({ message, extensions }) => ({ message, code: extensions?.code })) };
    };
    const error = (message: string) => ({ data: null, errors: [{ message, code: 'BAD_USER_INPUT' }] });
    expect(await refused({ first: 101 })).toEqual(error('first must be between 0 and 100'));
    expect(await refused({ first: -1 })).toEqual(error('first must be between 0 and 100'));
    expect(await refused({ last: 1000 })).toEqual(error('last must be between 0 and 100'));
    expect(await refused({ first: 1, last: 1 })).toEqual(error('Pass first or last, not both'));
    expect(await refused({ after: 'not a cursor' })).toEqual(error('after is not a cursor of this connection'));
    expect(await refused({ before: Buffer.from('x'.repeat(15)).toString('base64url') })).toEqual(error('before is not a cursor of this connection'));
    const empty = await pageOf({ first: 0 });
    expect(empty).toMatchObject({ edges: [], pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount: 5 });
  });

  it('gives at most 100 users a page', async () => {
    // 120 accounts: more than a page, inserted directly (signing each up would take minutes of argon2).
    await graph.sql`
      insert into auth.users (id, email, password_hash, email_verified)
      select gen_random_uuid(), 'bulk-' || n || '@cap.example', 'not a hash', true from generate_series(1, 120) as n`;
    const full = await list({ filter: { emailContains: '@cap.example' }, first: 100 }, admin);
    expect(full.body.errors).toBeUndefined();
    expect(full.body.data!.users.edges).toHaveLength(100);
    expect(full.body.data!.users.pageInfo.hasNextPage).toBe(true);
    expect(full.body.data!.users.totalCount).toBe(120);
    const rest = await list({ filter: { emailContains: '@cap.example' }, first: 100, after: full.body.data!.users.pageInfo.endCursor }, admin);
    expect(rest.body.data!.users.edges).toHaveLength(20);
    expect(rest.body.data!.users.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});

describe('mass assignment', () => {
  it('refuses extra input fields on register (roles, emailVerified, id) and creates nothing', async () => {
    const before = await state();
    const input = { email: `mass-${randomUUID().slice(0, 8)}@example.com`, password: 'a perfectly fine passphrase' };
    for (const [field, value] of [
      ['roles', ['admin']],
      ['emailVerified', true],
      ['id', randomUUID()],
    ] as const) {
      const response = await graph.request(op('Register'), { input: { ...input, [field]: value } });
      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toEqual([
        expect.objectContaining({ message: expect.stringContaining(`Field "${field}" is not defined by type "RegisterInput"`), extensions: { code: 'BAD_USER_INPUT' } }),
      ]);
    }
    const inline = await graph.request(`mutation { register(input: { email: "${input.email}", password: "${input.password}", roles: ["admin"] }) { __typename } }`);
    expect(inline.status).toBe(400);
    expect(inline.body.errors).toEqual([
      expect.objectContaining({ message: 'Field "roles" is not defined by type "RegisterInput".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    expect(await state()).toEqual(before);
  });

  it('refuses a userId in updateProfile and addAddress, changing nothing', async () => {
    const before = await state();
    const profile = await graph.request(op('UpdateProfile'), { input: { displayName: 'Mallory', userId: bob.id } }, { token: alice.accessToken });
    const added = await graph.request(op('AddAddress'), { input: { ...sampleAddress, userId: bob.id } }, { token: alice.accessToken });
    for (const [response, type] of [
      [profile, 'UpdateProfileInput'],
      [added, 'AddressInput'],
    ] as const) {
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        expect.objectContaining({ message: expect.stringContaining(`Field "userId" is not defined by type "${type}"`), extensions: { code: 'BAD_USER_INPUT' } }),
      ]);
    }
    expect(await state()).toEqual(before);
  });
});

describe('query limits', () => {
  const typeChain = (depth: number) => {
    // __type(1) > fields(2) > type(3) > ofType… > name(depth)
    let selection = 'name';
    for (let level = depth - 1; level >= 4; level -= 1) selection = `ofType { ${selection} }`;
    return `{ __type(name: "Query") { fields { type { ${selection} } } } }`;
  };

  it('lets an ordinary operation through', async () => {
    const response = await graph.request<{ me: { id: string } }>(op('Me'), {}, { token: alice.accessToken });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.me.id).toBe(alice.id);
  });

  it('refuses a query nested deeper than 10 levels, without saying where the limit is', async () => {
    const atLimit = await graph.request(typeChain(10));
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.errors).toBeUndefined();
    expectRefused(await graph.request(typeChain(11)), 10, 11);
    expectRefused(await graph.request(typeChain(30)), 10, 30);
  });

  it('refuses more than 10 aliases', async () => {
    const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, index) => `a${index}: me { id }`).join(' ')} }`;
    const atLimit = await graph.request(aliased(10), {}, { token: alice.accessToken });
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.errors).toBeUndefined();
    expectRefused(await graph.request(aliased(11), {}, { token: alice.accessToken }), 10, 11);
  });

  it('refuses aliased logins beyond the limit before any of them runs', async () => {
    const before = await graph.sql`select * from auth.audit_events where kind like 'sign_in%' order by id`;
    const sessions = await graph.count('auth.sessions');
    const logins = Array.from({ length: 11 }, (_, index) => `l${index}: login(input: { email: $email, password: "guess number ${index}" }) { __typename }`);
    const response = await graph.request(`mutation($email: String!) { ${logins.join(' ')} }`, { email: alice.email });
    expectRefused(response, 10, 11);
    expect(await graph.sql`select * from auth.audit_events where kind like 'sign_in%' order by id`).toEqual(before);
    expect(await graph.count('auth.sessions')).toBe(sessions);
  });

  it('refuses a token bomb with 400', async () => {
    const response = await graph.request(`{ ${Array.from({ length: 3000 }, () => '__typename').join(' ')} }`);
    expect({ status: response.status, body: response.body }).toEqual({
      status: 400,
      // Refused while parsing (graphql-js's token limit), without the position that would hint at the limit.
      body: { errors: [{ message: REJECTED, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] },
    });
    expect(response.text).not.toContain('1500');
  });

  it('refuses more than 20 directives', async () => {
    const directed = (count: number) => `{ me { ${Array.from({ length: count }, () => 'id @include(if: true)').join(' ')} } }`;
    const atLimit = await graph.request(directed(20), {}, { token: alice.accessToken });
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.errors).toBeUndefined();
    expectRefused(await graph.request(directed(21), {}, { token: alice.accessToken }), 20, 21);
  });

  it('refuses a query that would cost more than the limit', async () => {
    const cheap = await graph.request('{ users(first: 100) { edges { node { id } } } }');
    expect(cheap.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expectRefused(await graph.request('{ users(first: 1000) { edges { node { id } } } }'), 5000);
    expectRefused(await graph.request('{ users(last: 1000) { edges { node { id } } } }'), 5000);
  });
});

describe('development mode', () => {
  it('answers introspection and suggests field names', async () => {
    const introspection = await graph.request(`{ __schema { queryType { name } } }`);
    expect(introspection.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const misspelled = await graph.request('{ mee { id } }');
    expect(misspelled.status).toBe(400);
    expect(misspelled.body.errors?.[0]).toMatchObject({
      message: 'Cannot query field "mee" on type "Query". Did you mean "me"?',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});

describe('oversized and malformed input', () => {
  const post = (body: string) => fetch(graph.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('refuses a 2 MB body, invalid JSON and a query that is not a string', async () => {
    const huge = await post(JSON.stringify({ query: op('Me'), variables: { padding: 'x'.repeat(2 * 1024 * 1024) } }));
    expect([huge.status, await huge.json()]).toEqual([413, { errors: [{ message: 'Request body is too large', extensions: { code: 'BAD_REQUEST' } }] }]);
    const invalid = await post('{"query": "{ me { id } }",');
    expect([invalid.status, await invalid.json()]).toEqual([400, { errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }]);
    for (const query of [42, { kind: 'Document' }, ['{ __typename }'], null]) {
      const response = await post(JSON.stringify({ query }));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
    }
  });

  it('reports variables of the wrong type as BAD_USER_INPUT', async () => {
    for (const [name, variables] of [
      ['Login', { input: 'not an object' }],
      ['Users', { first: 'ten' }],
      ['RevokeSession', { id: { $ne: null } }],
      ['ResetPassword', { token: ['a'], newPassword: 'a fine passphrase' }],
    ] as const) {
      const response = await graph.request(op(name), variables, { token: alice.accessToken });
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('answers a 10,000-character e-mail address with InvalidEmail, not a server error', async () => {
    const before = await state();
    const email = `${'a'.repeat(10_000 - '@example.com'.length)}@example.com`;
    expect(email).toHaveLength(10_000);
    expect(await run('Register', { input: { email, password: 'a perfectly fine passphrase' } })).toEqual(INVALID_EMAIL);
    expect(await run('RequestEmailVerification', { email, password: 'a perfectly fine passphrase' })).toEqual(INVALID_EMAIL);
    expect(await run('RequestPasswordReset', { email })).toEqual(INVALID_EMAIL);
    expect(await run('RequestEmailChange', { newEmail: email, password: alice.password }, alice.accessToken)).toEqual(INVALID_EMAIL);
    expect(await run('Login', { input: { email, password: 'a perfectly fine passphrase' } })).toMatchObject({ __typename: 'InvalidCredentials' });
    expect(await state()).toEqual(before);
  });

  it('refuses control characters and null bytes in a display name with ValidationFailed', async () => {
    const before = await state();
    for (const displayName of ['Ada\u0000', 'Ada\u0007 Lovelace', '\u001b[31mAda', 'Ada\u0085', 'A\u0000\u0000\u0000']) {
      expect(await run('UpdateProfile', { input: { displayName } }, alice.accessToken)).toEqual({
        __typename: 'ValidationFailed',
        code: 'VALIDATION_FAILED',
        message: 'Some fields are invalid',
        fields: [{ field: 'displayName', code: 'INVALID_FORMAT', message: 'displayName must not contain control characters.' }],
      });
    }
    expect(await run('Register', { input: { email: `nul-${randomUUID().slice(0, 8)}@example.com`, password: 'a perfectly fine passphrase', displayName: 'Eve\u0000' } })).toMatchObject({
      __typename: 'ValidationFailed',
      fields: [{ field: 'displayName', code: 'INVALID_FORMAT', message: 'displayName must not contain control characters.' }],
    });
    expect(await state()).toEqual(before);
  });

  it('answers revokeSession with NotFound for an unknown or malformed id', async () => {
    const before = await state();
    for (const id of [randomUUID(), '00000000-0000-0000-0000-000000000000', 'not-a-uuid', "' or 1=1 --", '', 'x'.repeat(5_000)]) {
      expect(await run('RevokeSession', { id }, alice.accessToken)).toEqual(NOT_FOUND);
    }
    expect(await state()).toEqual(before);
  });
});

describe("another user's ids", () => {
  it("cannot revoke another user's session, which keeps working", async () => {
    const bobSession = sessionIdOf(bob.accessToken);
    const before = await state();
    expect(await run('RevokeSession', { id: bobSession }, alice.accessToken)).toEqual(NOT_FOUND);
    expect(await run('RevokeSession', { id: bobSession.toUpperCase() }, alice.accessToken)).toEqual(NOT_FOUND);
    expect(await state()).toEqual(before);
    const refreshed = await run<Payload & { refreshToken: string; user: { id: string } }>('RefreshSession', { refreshToken: bob.refreshToken });
    expect(refreshed).toMatchObject({ __typename: 'AuthSession', user: { id: bob.id } });
    bob = { ...bob, refreshToken: refreshed.refreshToken };
    const me = await graph.request<{ me: { id: string } }>(op('Me'), {}, { token: bob.accessToken });
    expect(me.body.data!.me.id).toBe(bob.id);
  });
});

describe('response headers', () => {
  it('answers a bad token with 401 and WWW-Authenticate', async () => {
    const response = await graph.request(op('Me'), {}, { token: 'abc.def.ghi' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(response.body).toEqual({ errors: [{ message: 'The access token is invalid', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('gives every GraphQL response an x-request-id', async () => {
    const responses = {
      ok: await graph.request(op('Me'), {}, { token: alice.accessToken }),
      anonymous: await graph.request(op('Me')),
      fieldError: await graph.request(op('Users'), {}, { token: alice.accessToken }),
      typedFailure: await graph.request(op('Login'), { input: { email: alice.email, password: 'not the password' } }),
      invalidQuery: await graph.request('{ nope }'),
      badVariables: await graph.request(op('Login'), { input: 'x' }),
      badToken: await graph.request(op('Me'), {}, { token: 'abc.def.ghi' }),
    };
    const ids = Object.fromEntries(Object.entries(responses).map(([kind, response]) => [kind, response.headers.get('x-request-id')]));
    expect(ids).toEqual(Object.fromEntries(Object.keys(responses).map((kind) => [kind, expect.stringMatching(/^[0-9a-f-]{36}$/)])));
    expect(new Set(Object.values(ids)).size).toBe(Object.keys(ids).length);
  });
});
