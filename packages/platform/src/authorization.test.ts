import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { enforceAuthorizationDirectives, isAllowed } from './authorization.js';
import type { Viewer } from './viewer.js';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@authenticated", "@requiresScopes"])
  type Query {
    open: String
    signedIn: String @authenticated
    staff: String @requiresScopes(scopes: [["admin"], ["support", "customer"]])
  }
`);
const schema = enforceAuthorizationDirectives(
  buildSubgraphSchema({ typeDefs, resolvers: { Query: { open: () => 'open', signedIn: () => 'signed in', staff: () => 'staff' } } }),
);

const viewer = (...roles: string[]): Viewer => ({ userId: 'u', sessionId: 's', roles });

async function run(field: string, current: Viewer | null) {
  const result = await graphql({ schema, source: `{ ${field} }`, contextValue: { viewer: current } });
  return result.errors ? result.errors[0]?.extensions.code : result.data?.[field];
}

describe('authorization declared in the SDL', () => {
  it('leaves public fields public', async () => {
    expect(await run('open', null)).toBe('open');
  });

  it('requires a viewer for @authenticated', async () => {
    expect(await run('signedIn', null)).toBe('UNAUTHENTICATED');
    expect(await run('signedIn', viewer('customer'))).toBe('signed in');
  });

  it('requires one complete set of scopes for @requiresScopes', async () => {
    expect(await run('staff', null)).toBe('UNAUTHENTICATED');
    expect(await run('staff', viewer('customer'))).toBe('FORBIDDEN');
    expect(await run('staff', viewer('support'))).toBe('FORBIDDEN');
    expect(await run('staff', viewer('admin'))).toBe('staff');
    expect(await run('staff', viewer('customer', 'support'))).toBe('staff');
  });

  it('decides from the requirement alone', () => {
    expect(isAllowed({ authenticated: true, scopes: [] }, viewer('admin'))).toBe('forbidden');
    expect(isAllowed({ authenticated: false, scopes: null }, null)).toBe('ok');
  });
});
