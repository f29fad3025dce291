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

/** Signs a user up through the router: register, receive the verification mail over SMTP, follow its link. */
export async function registerUser(
  graph: TestGraph,
  input: { email?: string; password?: string; displayName?: string; preferredLocale?: string } = {},
): Promise<SignedInUser> {
  const email = input.email ?? `user-${randomUUID()}@example.com`;
  const password = input.password ?? 'a perfectly fine passphrase';
  const registered = await graph.request<{ register: { __typename: string } }>(op('Register'), {
    input: { email, password, ...(input.displayName ? { displayName: input.displayName } : {}), ...(input.preferredLocale ? { preferredLocale: input.preferredLocale } : {}) },
  });
  expect(registered.body, `register answered ${JSON.stringify(registered.body.errors)}`).toMatchObject({ data: { register: { __typename: 'VerificationEmailSent', email: email.toLowerCase() } } });
  const mail = await graph.mailbox.waitFor((received) => received.to === email.toLowerCase() && received.link?.includes('/verify-email') === true);
  const verified = await graph.request<{ verifyEmail: SessionPayload }>(op('VerifyEmail'), { token: mail.token });
  const session = verified.body.data?.verifyEmail;
  expect(verified.body, `verifyEmail answered ${JSON.stringify(verified.body.errors)}`).toMatchObject({ data: { verifyEmail: { __typename: 'AuthSession' } } });
  return { id: session!.user.id, email: session!.user.email, password, accessToken: session!.accessToken, refreshToken: session!.refreshToken };
}

export const sampleAddress = {
  fullName: 'Ada Lovelace',
  line1: '10 Downing Street',
  city: 'London',
  postalCode: 'sw1a2aa',
  countryCode: 'GB',
};
