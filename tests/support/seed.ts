import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { op, type TestGraph } from './graph.js';

export interface SignedInUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

interface SessionPayload {
  __typename: string;
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string };
}

/** Registers a user through the router and returns its session. */
export async function registerUser(graph: TestGraph, input: { email?: string; password?: string; displayName?: string } = {}): Promise<SignedInUser> {
  const email = input.email ?? `user-${randomUUID()}@example.com`;
  const password = input.password ?? 'a perfectly fine passphrase';
  const response = await graph.request<{ register: SessionPayload }>(op('Register'), {
    input: { email, password, ...(input.displayName ? { displayName: input.displayName } : {}) },
  });
  expect(response.body.errors).toBeUndefined();
  const session = response.body.data!.register;
  expect(session.__typename).toBe('AuthSession');
  return { id: session.user.id, email: session.user.email, password, accessToken: session.accessToken, refreshToken: session.refreshToken };
}

export const sampleAddress = {
  fullName: 'Ada Lovelace',
  line1: '10 Downing Street',
  city: 'London',
  postalCode: 'sw1a2aa',
  countryCode: 'gb',
};
