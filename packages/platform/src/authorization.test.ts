import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { enforceAuthorizationDirectives, undeclaredFields } from './authorization.js';
import type { Viewer } from './viewer.js';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@requiresScopes"])
  directive @public on FIELD_DEFINITION | OBJECT
  directive @private(owner: String! = "id") on FIELD_DEFINITION | OBJECT

  type Query {
    open: String @public
    signedIn: String @authenticated
    staff: String @requiresScopes(scopes: [["admin"], ["support", "customer"]])
    note(id: ID!): Note @public
    card: Card @public
  }
  type Note @key(fields: "id") @private(owner: "authorId") {
    id: ID!
    text: String
    title: String!
  }
  type Card @public {
    label: String
    secret: String @private(owner: "holder")
  }
`);
const notes: Record<string, { id: string; authorId: string; text: string; title: string }> = {
  n1: { id: 'n1', authorId: 'ada', text: 'private text', title: 'private title' },
};
const schema = enforceAuthorizationDirectives(
  buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Query: {
        open: () => 'open',
        signedIn: () => 'signed in',
        staff: () => 'staff',
        note: (_: unknown, { id }: { id: string }) => notes[id],
        card: () => ({ label: 'card', secret: '4242', holder: 'ada' }),
      },
      Note: { __resolveReference: ({ id }: { id: string }) => notes[id] },
    } as never,
  }),
);

const viewer = (userId: string, ...roles: string[]): Viewer => ({ userId, sessionId: 's', roles });

async function run(source: string, current: Viewer | null, variableValues?: Record<string, unknown>) {
  return graphql({ schema, source, contextValue: { viewer: current }, variableValues });
}

async function field(name: string, current: Viewer | null) {
  const result = await run(`{ ${name} }`, current);
  return result.errors ? result.errors[0]?.extensions.code : result.data?.[name];
}

describe('authorization declared in the SDL', () => {
  it('leaves public fields public', async () => {
    expect(await field('open', null)).toBe('open');
  });

  it('requires a viewer for @authenticated', async () => {
    expect(await field('signedIn', null)).toBe('UNAUTHENTICATED');
    expect(await field('signedIn', viewer('ada', 'customer'))).toBe('signed in');
  });

  it('requires one complete set of scopes for @requiresScopes', async () => {
    expect(await field('staff', null)).toBe('UNAUTHENTICATED');
    expect(await field('staff', viewer('ada', 'customer'))).toBe('FORBIDDEN');
    expect(await field('staff', viewer('ada', 'support'))).toBe('FORBIDDEN');
    expect(await field('staff', viewer('ada', 'admin'))).toBe('staff');
    expect(await field('staff', viewer('ada', 'customer', 'support'))).toBe('staff');
  });

  it('shows @private data to its owner and admins; others get null, or FORBIDDEN for a non-null field', async () => {
    const query = '{ note(id: "n1") { id text } card { label secret } }';
    expect((await run(query, viewer('ada'))).data).toEqual({ note: { id: 'n1', text: 'private text' }, card: { label: 'card', secret: '4242' } });
    expect((await run(query, viewer('root', 'admin'))).data).toEqual({ note: { id: 'n1', text: 'private text' }, card: { label: 'card', secret: '4242' } });
    const stranger = await run(query, viewer('eve'));
    expect(stranger.data).toEqual({ note: null, card: { label: 'card', secret: null } });
    expect(stranger.errors?.map((error) => error.extensions.code)).toEqual(['FORBIDDEN']);
    expect((await run('{ note(id: "n1") { text } }', null)).data).toEqual({ note: { text: null } });
  });

  it("resolves references to other users' @private entities as null", async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Note { text } } }';
    const representations = { r: [{ __typename: 'Note', id: 'n1' }] };
    expect((await run(query, viewer('ada'), representations)).data).toEqual({ _entities: [{ text: 'private text' }] });
    expect((await run(query, viewer('eve'), representations)).data).toEqual({ _entities: [null] });
    expect((await run(query, null, representations)).data).toEqual({ _entities: [null] });
  });

  it('lets a service identity reach public fields and the scopes it holds, never a user\'s fields', async () => {
    const service = (...roles: string[]): Viewer => ({ userId: 'ada', sessionId: 's', roles, clientId: 'orders' });
    expect(await field('open', service())).toBe('open');
    expect(await field('signedIn', service())).toBe('FORBIDDEN');
    expect(await field('staff', service('support', 'customer'))).toBe('staff');
    expect(await field('staff', service('checkout'))).toBe('FORBIDDEN');
    // Even a subject equal to the owner's id reads nothing private.
    const owned = await run('{ note(id: "n1") { id text } card { label secret } }', service());
    expect(owned.data).toEqual({ note: null, card: { label: 'card', secret: null } });
    const entities = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Note { text } } }', service(), { r: [{ __typename: 'Note', id: 'n1' }] });
    expect(entities.data).toEqual({ _entities: [null] });
  });

  it('lists the fields that declare nothing', () => {
    const undeclared = buildSubgraphSchema({ typeDefs: parse('type Query { a: String, b: String } type T { c: Int }') });
    expect(undeclaredFields(undeclared)).toEqual(['Query.a', 'Query.b', 'T.c']);
    expect(undeclaredFields(schema)).toEqual([]);
  });
});

describe('@requiresRecentAuth (step-up)', () => {
  const stepUpSchema = enforceAuthorizationDirectives(
    buildSubgraphSchema({
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated"])
        directive @public on FIELD_DEFINITION | OBJECT
        directive @requiresRecentAuth(maxAgeSeconds: Int!) on FIELD_DEFINITION
        enum ErrorCode { REAUTHENTICATION_REQUIRED }
        type Done @public { ok: Boolean! }
        type ReauthenticationRequired @public { code: ErrorCode! message: String! maxAgeSeconds: Int! }
        union RemoveResult = Done | ReauthenticationRequired
        type Query { open: String @public }
        type Mutation {
          remove: RemoveResult! @authenticated @requiresRecentAuth(maxAgeSeconds: 300)
          plain: Boolean @authenticated @requiresRecentAuth(maxAgeSeconds: 300)
        }
      `),
      resolvers: {
        Mutation: { remove: () => ({ __typename: 'Done', ok: true }), plain: () => true },
        RemoveResult: { __resolveType: (value: { __typename: string }) => value.__typename },
      } as never,
    }),
  );
  const run = (viewer: Viewer | null) =>
    graphql({ schema: stepUpSchema, source: 'mutation { remove { __typename ... on ReauthenticationRequired { code maxAgeSeconds } } plain }', contextValue: { viewer } });
  const now = Math.floor(Date.now() / 1000);
  const user = (authTime?: number): Viewer => ({ userId: 'ada', sessionId: 's1', roles: ['customer'], ...(authTime === undefined ? {} : { authTime }) });

  it('lets a recent sign-in through', async () => {
    const result = await run(user(now - 10));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ remove: { __typename: 'Done' }, plain: true });
  });

  it('answers ReauthenticationRequired to an old sign-in, or FORBIDDEN where the result cannot say it', async () => {
    for (const viewer of [user(now - 301), user()]) {
      const result = await run(viewer);
      expect(result.data?.remove).toEqual({ __typename: 'ReauthenticationRequired', code: 'REAUTHENTICATION_REQUIRED', maxAgeSeconds: 300 });
      expect(result.data?.plain).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('refuses anonymous callers and services as @authenticated does', async () => {
    expect((await run(null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const service = { ...user(now), clientId: 'orders' };
    expect((await run(service)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
