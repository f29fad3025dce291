import { randomUUID } from 'node:crypto';
import type { AccessTokenIssuer } from '../sessions/access-token.issuer.js';

export interface ProfileSeed {
  userId: string;
  displayName?: string;
  preferredLocale?: string;
}

const SEED_TOKEN_TTL_SECONDS = 60;

const SEED_PROFILE = /* GraphQL */ `
  mutation SeedProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      __typename
    }
  }
`;

/**
 * The profile belongs to the users service, so the name and locale given at sign-up reach it the way
 * any client's would: an `updateProfile` call through the router, as the new user (a short-lived
 * access token of its own, outside any session). Delivered by the outbox, so a failure is retried.
 */
export function createProfileSeeder(options: { routerUrl: () => string; issuer: AccessTokenIssuer; timeoutMs?: number }) {
  return async function seed({ userId, ...input }: ProfileSeed): Promise<void> {
    // Valid one minute, for this one call: it belongs to no session that could be revoked.
    const { token } = await options.issuer.issue({ userId, sessionId: randomUUID(), roles: ['customer'] }, SEED_TOKEN_TTL_SECONDS);
    const response = await fetch(options.routerUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: SEED_PROFILE, variables: { input } }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    const result = (await response.json()) as { data?: { updateProfile?: { __typename?: string } } };
    const outcome = result.data?.updateProfile?.__typename;
    if (outcome !== 'ProfileUpdated') throw new Error(`profile seed answered ${response.status} ${outcome ?? 'without data'}`);
  };
}
