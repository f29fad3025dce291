import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, type SignedInUser } from './support/seed.js';
import { SoftwareAuthenticator } from './support/software-authenticator.js';

const ORIGIN = 'https://shop.example'; // the test graph's PUBLIC_BASE_URL: the default WebAuthn origin and RP id
const INVALID_SECOND_FACTOR = {
  __typename: 'InvalidSecondFactor',
  code: 'INVALID_SECOND_FACTOR',
  message: 'The code or passkey was not accepted; sign in again if this keeps happening',
};
const INVALID_CREDENTIALS = { __typename: 'InvalidCredentials', code: 'INVALID_CREDENTIALS', message: 'The e-mail address or password is incorrect' };

type Data = Record<string, Record<string, unknown>>;

/** A code of the authenticator app at `epochSeconds` (now by default). */
const totpAt = (secret: string, epochSeconds = Math.floor(Date.now() / 1000)) => generate({ secret, epoch: epochSeconds });

async function call(graph: TestGraph, operation: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await graph.request<Data>(op(operation), variables, token ? { token } : {});
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return Object.values(response.body.data!)[0]!;
}

const login = (graph: TestGraph, user: SignedInUser) => call(graph, 'Login', { input: { email: user.email, password: user.password } });

/** Enrols an authenticator app for the user; returns its secret, the epoch its first code was made at, and the recovery codes. */
async function enrolTotp(graph: TestGraph, user: SignedInUser) {
  const enrollment = await call(graph, 'StartTotpEnrollment', {}, user.accessToken);
  expect(enrollment).toMatchObject({ __typename: 'TotpEnrollment', otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\/Meridian:/), qrCodeSvg: expect.stringMatching(/^data:image\/svg\+xml;base64,/) });
  const secret = enrollment.secret as string;
  expect(enrollment.otpauthUri).toContain(`secret=${secret}`);
  expect(Buffer.from((enrollment.qrCodeSvg as string).split(',')[1]!, 'base64').toString('utf8')).toMatch(/^<svg /);
  const enrolledAt = Math.floor(Date.now() / 1000);
  const confirmed = await call(graph, 'ConfirmTotpEnrollment', { code: await totpAt(secret, enrolledAt) }, user.accessToken);
  expect(confirmed).toMatchObject({ __typename: 'TotpEnabled', user: { secondFactors: { totp: true, recoveryCodesRemaining: 10, passkeys: [] } } });
  return { secret, enrolledAt, recoveryCodes: confirmed.recoveryCodes as string[] };
}

describe('second factors', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    graph = await startTestGraph();
  });
  afterAll(() => graph?.stop());

  describe('TOTP', () => {
    let user: SignedInUser;
    let totp: Awaited<ReturnType<typeof enrolTotp>>;

    beforeAll(async () => {
      user = await registerUser(graph);
      totp = await enrolTotp(graph, user);
    });

    it('stores the secret encrypted, and tells the owner and the audit trail about the enrolment', async () => {
      const [row] = await graph.sql<{ secret: string }[]>`select secret from auth.totp_factors where user_id = ${user.id}`;
      expect(row!.secret).not.toContain(totp.secret);
      await graph.mailbox.waitFor((mail) => mail.to === user.email && mail.subject === 'An authenticator app now protects your Meridian account');
      const [event] = await graph.sql`select details from auth.audit_events where kind = 'second_factor_enrolled' and user_id = ${user.id}`;
      expect(event?.details).toEqual({ method: 'totp' });
      expect(totp.recoveryCodes).toHaveLength(10);
    });

    it('refuses a second enrolment while one is active', async () => {
      expect(await call(graph, 'StartTotpEnrollment', {}, user.accessToken)).toMatchObject({ __typename: 'SecondFactorAlreadyEnabled', code: 'SECOND_FACTOR_ALREADY_ENABLED' });
    });

    it('makes login ask for a second factor, refuses a replayed code, and accepts a code one step ahead (drift)', async () => {
      const challenge = await login(graph, user);
      expect(challenge).toMatchObject({ __typename: 'SecondFactorRequired', methods: ['TOTP', 'RECOVERY_CODE'], webauthnOptions: null });
      expect(await graph.count('auth.sessions')).toBeGreaterThan(0);
      // The code that confirmed the enrolment: its time step is used up.
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: challenge.challengeId, totp: await totpAt(totp.secret, totp.enrolledAt) })).toEqual(INVALID_SECOND_FACTOR);
      // Three steps away is beyond the one step of drift allowed.
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: challenge.challengeId, totp: await totpAt(totp.secret, totp.enrolledAt + 120) })).toEqual(INVALID_SECOND_FACTOR);
      const nextStep = await totpAt(totp.secret, totp.enrolledAt + 30);
      const session = await call(graph, 'CompleteSecondFactor', { challengeId: challenge.challengeId, totp: nextStep });
      expect(session).toMatchObject({ __typename: 'AuthSession', user: { id: user.id } });
      const claims = JSON.parse(Buffer.from((session.accessToken as string).split('.')[1]!, 'base64url').toString('utf8'));
      expect(claims).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], auth_time: expect.any(Number) });

      // The challenge is used up, and the code too: both refused the same way.
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: challenge.challengeId, totp: nextStep })).toEqual(INVALID_SECOND_FACTOR);
      const again = await login(graph, user);
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: again.challengeId, totp: nextStep })).toEqual(INVALID_SECOND_FACTOR);
    });

    it('answers the same for an unknown, malformed or expired challenge and for no or two proofs', async () => {
      const code = await totpAt(totp.secret);
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: randomUUID(), totp: code })).toEqual(INVALID_SECOND_FACTOR);
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: 'not-a-challenge', totp: code })).toEqual(INVALID_SECOND_FACTOR);
      const challenge = await login(graph, user);
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: challenge.challengeId })).toEqual(INVALID_SECOND_FACTOR);
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: challenge.challengeId, totp: code, recoveryCode: totp.recoveryCodes[0] })).toEqual(INVALID_SECOND_FACTOR);
      // Five minutes later (moved in the database, not waited for), the challenge has expired.
      await graph.sql`update auth.auth_challenges set expires_at = now() - interval '1 second' where id = ${challenge.challengeId as string}`;
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: challenge.challengeId, recoveryCode: totp.recoveryCodes[0] })).toEqual(INVALID_SECOND_FACTOR);
      const [row] = await graph.sql<{ remaining: number }[]>`select count(*)::int as remaining from auth.recovery_codes where user_id = ${user.id} and used_at is null`;
      expect(row!.remaining).toBe(10);
    });

    it('accepts a recovery code once, tells the owner, and regenerating voids the old codes', async () => {
      const [first, second] = totp.recoveryCodes;
      const signedIn = await call(graph, 'CompleteSecondFactor', { challengeId: (await login(graph, user)).challengeId, recoveryCode: first!.toUpperCase() });
      expect(signedIn).toMatchObject({ __typename: 'AuthSession' });
      await graph.mailbox.waitFor((mail) => mail.to === user.email && mail.subject === 'A recovery code was used for your Meridian account');
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: (await login(graph, user)).challengeId, recoveryCode: first })).toEqual(INVALID_SECOND_FACTOR);
      expect(await call(graph, 'MySecondFactors', {}, signedIn.accessToken as string)).toMatchObject({ secondFactors: { totp: true, recoveryCodesRemaining: 9 } });

      const renewed = await call(graph, 'GenerateRecoveryCodes', {}, signedIn.accessToken as string);
      expect(renewed.codes).toHaveLength(10);
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: (await login(graph, user)).challengeId, recoveryCode: second })).toEqual(INVALID_SECOND_FACTOR);
      const [events] = await graph.sql<{ used: number; generated: number }[]>`
        select count(*) filter (where kind = 'recovery_code_used')::int as used, count(*) filter (where kind = 'recovery_codes_generated')::int as generated
        from auth.audit_events where user_id = ${user.id}`;
      expect(events).toEqual({ used: 1, generated: 1 });
      totp.recoveryCodes = renewed.codes as string[];
    });
  });

  it('asks for the second factor after a password reset: the link proves the mailbox, not the person', async () => {
    const user = await registerUser(graph);
    const { secret } = await enrolTotp(graph, user);
    expect(await call(graph, 'RequestPasswordReset', { email: user.email })).toMatchObject({ __typename: 'PasswordResetEmailSent' });
    const mail = await graph.mailbox.waitFor((received) => received.to === user.email && received.link?.includes('/reset-password') === true);
    const reset = await call(graph, 'ResetPassword', { token: mail.token, newPassword: 'a brand new passphrase' });
    expect(reset).toMatchObject({ __typename: 'SecondFactorRequired', methods: ['TOTP', 'RECOVERY_CODE'] });
    const session = await call(graph, 'CompleteSecondFactor', { challengeId: reset.challengeId, totp: await totpAt(secret, Math.floor(Date.now() / 1000) + 30) });
    expect(session).toMatchObject({ __typename: 'AuthSession', user: { id: user.id } });
  });

  it('counts second-factor failures towards the lockout of the address, and tells the owner', async () => {
    const user = await registerUser(graph);
    const { secret } = await enrolTotp(graph, user);
    const challenge = await login(graph, user); // the password's attempt stays counted until the second factor succeeds
    for (let attempt = 0; attempt < 9; attempt += 1) {
      expect(await call(graph, 'CompleteSecondFactor', { challengeId: challenge.challengeId, totp: '000000' })).toEqual(INVALID_SECOND_FACTOR);
    }
    // Locked: a right code and the right password are refused as a wrong one would be.
    expect(await call(graph, 'CompleteSecondFactor', { challengeId: challenge.challengeId, totp: await totpAt(secret, Math.floor(Date.now() / 1000) + 30) })).toEqual(INVALID_SECOND_FACTOR);
    expect(await login(graph, user)).toEqual(INVALID_CREDENTIALS);
    const [counts] = await graph.sql<{ failed: number; lockouts: number }[]>`
      select count(*) filter (where kind = 'second_factor_failed')::int as failed, count(*) filter (where kind = 'lockout')::int as lockouts
      from auth.audit_events where user_id = ${user.id} or (kind = 'lockout' and user_id = ${user.id})`;
    expect(counts!.failed).toBe(10);
    await graph.mailbox.waitFor((mail) => mail.to === user.email && mail.subject === 'A sign-in to your Meridian account failed at the second step');
  });

  it('keeps login answering AuthSession for an account without a second factor', async () => {
    const user = await registerUser(graph);
    const session = await login(graph, user);
    expect(session).toMatchObject({ __typename: 'AuthSession', user: { id: user.id } });
    const claims = JSON.parse(Buffer.from((session.accessToken as string).split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ amr: ['pwd'], auth_time: expect.any(Number) });
  });

  describe('step-up (@requiresRecentAuth)', () => {
    /** A token of the user's session whose sign-in was an hour ago: the session's proof is moved back, then refreshed. */
    async function staleToken(user: { id: string; refreshToken: string }) {
      await graph.sql`update auth.sessions set auth_time = now() - interval '1 hour' where user_id = ${user.id}`;
      const refreshed = await call(graph, 'RefreshSession', { refreshToken: user.refreshToken });
      expect(refreshed.__typename).toBe('AuthSession');
      return { accessToken: refreshed.accessToken as string, refreshToken: refreshed.refreshToken as string };
    }

    it('answers ReauthenticationRequired to an old sign-in, and reauthenticate (password and code) lets it through', async () => {
      const user = await registerUser(graph);
      const { secret } = await enrolTotp(graph, user);
      const stale = await staleToken(user);
      const refused = { __typename: 'ReauthenticationRequired', code: 'REAUTHENTICATION_REQUIRED', maxAgeSeconds: 300 };
      expect(await call(graph, 'RemoveTotp', {}, stale.accessToken)).toMatchObject(refused);
      expect(await call(graph, 'GenerateRecoveryCodes', {}, stale.accessToken)).toMatchObject(refused);
      expect(await call(graph, 'ChangePassword', { currentPassword: user.password, newPassword: 'another fine passphrase' }, stale.accessToken)).toMatchObject({
        ...refused,
        maxAgeSeconds: 900,
      });
      expect(await call(graph, 'RequestEmailChange', { newEmail: `new-${randomUUID()}@example.com`, password: user.password }, stale.accessToken)).toMatchObject({
        ...refused,
        maxAgeSeconds: 900,
      });
      const [{ count } = { count: -1 }] = await graph.sql<{ count: number }[]>`select count(*)::int as count from auth.totp_factors where user_id = ${user.id}`;
      expect(count).toBe(1);

      // With a second factor on the account, the password alone does not step up.
      expect(await call(graph, 'Reauthenticate', { password: user.password }, stale.accessToken)).toEqual(INVALID_SECOND_FACTOR);
      expect(await call(graph, 'Reauthenticate', { password: 'not the password at all', totp: await totpAt(secret, Math.floor(Date.now() / 1000) + 30) }, stale.accessToken)).toEqual(
        INVALID_CREDENTIALS,
      );
      const fresh = await call(graph, 'Reauthenticate', { password: user.password, totp: await totpAt(secret, Math.floor(Date.now() / 1000) + 30) }, stale.accessToken);
      expect(fresh).toMatchObject({ __typename: 'Reauthenticated', accessToken: expect.any(String) });
      const removed = await call(graph, 'RemoveTotp', {}, fresh.accessToken as string);
      expect(removed).toMatchObject({ __typename: 'SecondFactorRemoved', user: { secondFactors: { totp: false, recoveryCodesRemaining: 0, passkeys: [] } } });
      await graph.mailbox.waitFor((mail) => mail.to === user.email && mail.subject === 'The authenticator app was removed from your Meridian account');
      // Back to a password only: login answers a session again.
      expect(await login(graph, user)).toMatchObject({ __typename: 'AuthSession' });
    });

    it('keeps the step-up across refreshes, and a plain password steps up an account without a second factor', async () => {
      const user = await registerUser(graph);
      const stale = await staleToken(user);
      expect(await call(graph, 'ChangePassword', { currentPassword: user.password, newPassword: 'another fine passphrase' }, stale.accessToken)).toMatchObject({
        __typename: 'ReauthenticationRequired',
      });
      const fresh = await call(graph, 'Reauthenticate', { password: user.password }, stale.accessToken);
      expect(fresh.__typename).toBe('Reauthenticated');
      const refreshed = await call(graph, 'RefreshSession', { refreshToken: stale.refreshToken });
      expect(await call(graph, 'ChangePassword', { currentPassword: user.password, newPassword: 'another fine passphrase' }, refreshed.accessToken as string)).toMatchObject({
        __typename: 'PasswordChanged',
      });
    });
  });

  describe('passkeys', () => {
    let user: SignedInUser;
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });

    async function registerPasskey(name: string, overrides: { origin?: string; rpId?: string } = {}) {
      const ceremony = await call(graph, 'StartPasskeyRegistration', {}, user.accessToken);
      const options = ceremony.options as Record<string, unknown>;
      expect(options).toMatchObject({ rp: { id: 'shop.example', name: 'Meridian' }, attestation: 'none', authenticatorSelection: { residentKey: 'required', userVerification: 'required' } });
      const response = authenticator.register(options, overrides);
      return call(graph, 'FinishPasskeyRegistration', { challengeId: ceremony.challengeId, name, response }, user.accessToken);
    }

    beforeAll(async () => {
      user = await registerUser(graph);
    });

    it('refuses a registration signed for another origin or RP id', async () => {
      expect(await registerPasskey('Phishing site', { origin: 'https://shop.example.evil.test' })).toEqual(INVALID_SECOND_FACTOR);
      expect(await registerPasskey('Other site', { rpId: 'evil.test' })).toEqual(INVALID_SECOND_FACTOR);
      expect(await graph.count('auth.passkeys')).toBe(0);
    });

    it('registers named passkeys, lists them, and tells the owner', async () => {
      const first = await registerPasskey('Laptop');
      expect(first).toMatchObject({ __typename: 'PasskeyRegistered', passkey: { name: 'Laptop', backedUp: true, lastUsedAt: null } });
      expect(first.recoveryCodes).toHaveLength(10);
      const second = await registerPasskey('Phone');
      expect(second.recoveryCodes).toEqual([]);
      const mine = await call(graph, 'MySecondFactors', {}, user.accessToken);
      expect((mine.secondFactors as { passkeys: { name: string }[] }).passkeys.map((passkey) => passkey.name)).toEqual(['Laptop', 'Phone']);
      await graph.mailbox.waitFor((mail) => mail.to === user.email && mail.subject === 'A passkey was added to your Meridian account' && mail.text.includes('Phone'));
    });

    it('refuses a registration challenge used twice', async () => {
      const ceremony = await call(graph, 'StartPasskeyRegistration', {}, user.accessToken);
      const response = authenticator.register(ceremony.options as Record<string, unknown>);
      const variables = { challengeId: ceremony.challengeId, name: 'Tablet', response };
      expect(await call(graph, 'FinishPasskeyRegistration', variables, user.accessToken)).toMatchObject({ __typename: 'PasskeyRegistered' });
      const another = new SoftwareAuthenticator({ origin: ORIGIN });
      expect(await call(graph, 'FinishPasskeyRegistration', { ...variables, response: another.register(ceremony.options as Record<string, unknown>) }, user.accessToken)).toEqual(
        INVALID_SECOND_FACTOR,
      );
    });

    it('signs in with a passkey alone, once per challenge, and not from another origin or RP id', async () => {
      const ceremony = await call(graph, 'StartPasskeySignIn');
      const options = ceremony.options as Record<string, unknown>;
      expect(options).toMatchObject({ rpId: 'shop.example', userVerification: 'required' });
      expect(options.allowCredentials ?? []).toEqual([]);
      const response = authenticator.authenticate(options);
      const session = await call(graph, 'FinishPasskeySignIn', { challengeId: ceremony.challengeId, response });
      expect(session).toMatchObject({ __typename: 'AuthSession', user: { id: user.id } });
      const claims = JSON.parse(Buffer.from((session.accessToken as string).split('.')[1]!, 'base64url').toString('utf8'));
      expect(claims.amr).toEqual(['hwk', 'mfa']);
      // The same signed response again: its challenge is used up.
      expect(await call(graph, 'FinishPasskeySignIn', { challengeId: ceremony.challengeId, response })).toEqual(INVALID_CREDENTIALS);

      for (const overrides of [{ origin: 'https://evil.test' }, { rpId: 'evil.test' }, { userVerified: false }]) {
        const next = await call(graph, 'StartPasskeySignIn');
        expect(await call(graph, 'FinishPasskeySignIn', { challengeId: next.challengeId, response: authenticator.authenticate(next.options as Record<string, unknown>, overrides) })).toEqual(
          INVALID_CREDENTIALS,
        );
      }
      // An expired challenge.
      const late = await call(graph, 'StartPasskeySignIn');
      await graph.sql`update auth.auth_challenges set expires_at = now() - interval '1 second' where id = ${late.challengeId as string}`;
      expect(await call(graph, 'FinishPasskeySignIn', { challengeId: late.challengeId, response: authenticator.authenticate(late.options as Record<string, unknown>) })).toEqual(INVALID_CREDENTIALS);
    });

    it('serves as the second factor after the password, and is removable', async () => {
      const challenge = await login(graph, user);
      expect(challenge).toMatchObject({ __typename: 'SecondFactorRequired', methods: ['PASSKEY', 'RECOVERY_CODE'] });
      const options = challenge.webauthnOptions as { allowCredentials: { id: string }[] };
      expect(options.allowCredentials).toHaveLength(3);
      const session = await call(graph, 'CompleteSecondFactor', { challengeId: challenge.challengeId, webauthnResponse: authenticator.authenticate(options) });
      expect(session).toMatchObject({ __typename: 'AuthSession' });

      const mine = await call(graph, 'MySecondFactors', {}, session.accessToken as string);
      const [laptop] = (mine.secondFactors as { passkeys: { id: string; lastUsedAt: string | null }[] }).passkeys;
      const removed = await call(graph, 'RemovePasskey', { id: laptop!.id }, session.accessToken as string);
      expect((removed.user as { secondFactors: { passkeys: unknown[] } }).secondFactors.passkeys).toHaveLength(2);
      expect(await call(graph, 'RemovePasskey', { id: laptop!.id }, session.accessToken as string)).toMatchObject({ __typename: 'NotFound' });
      // Another account's passkey is not the viewer's to remove.
      const stranger = await registerUser(graph);
      const [{ id: phone } = { id: '' }] = await graph.sql<{ id: string }[]>`select id from auth.passkeys where user_id = ${user.id} and name = 'Phone'`;
      expect(await call(graph, 'RemovePasskey', { id: phone }, stranger.accessToken)).toMatchObject({ __typename: 'NotFound' });
      const [events] = await graph.sql<{ removed: number }[]>`select count(*)::int as removed from auth.audit_events where kind = 'second_factor_removed' and user_id = ${user.id}`;
      expect(events!.removed).toBe(1);
    });

    it('steps up with a passkey alone, once per challenge', async () => {
      await graph.sql`update auth.sessions set auth_time = now() - interval '1 hour' where user_id = ${user.id}`;
      const stale = (await call(graph, 'RefreshSession', { refreshToken: user.refreshToken })) as { accessToken: string; refreshToken: string };
      user = { ...user, ...stale };
      const [{ id: phone } = { id: '' }] = await graph.sql<{ id: string }[]>`select id from auth.passkeys where user_id = ${user.id} and name = 'Phone'`;
      expect(await call(graph, 'RemovePasskey', { id: phone }, stale.accessToken)).toMatchObject({ __typename: 'ReauthenticationRequired' });
      const ceremony = await call(graph, 'StartPasskeyReauthentication', {}, stale.accessToken);
      const response = authenticator.authenticate(ceremony.options as Record<string, unknown>);
      const fresh = await call(graph, 'Reauthenticate', { challengeId: ceremony.challengeId, webauthnResponse: response }, stale.accessToken);
      expect(fresh).toMatchObject({ __typename: 'Reauthenticated' });
      expect(await call(graph, 'Reauthenticate', { challengeId: ceremony.challengeId, webauthnResponse: response }, stale.accessToken)).toEqual(INVALID_SECOND_FACTOR);
      expect(await call(graph, 'RemovePasskey', { id: phone }, fresh.accessToken as string)).toMatchObject({ __typename: 'SecondFactorRemoved' });
    });
  });
});

describe('ADMIN_REQUIRE_MFA', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    graph = await startTestGraph({ env: { ADMIN_REQUIRE_MFA: 'true', ADMIN_EMAILS: 'boss@example.com' } });
  });
  afterAll(() => graph?.stop());

  it('refuses admin-only fields to an admin session without a second factor, and serves them once one was used', async () => {
    const admin = await registerUser(graph, { email: 'boss@example.com' });
    const users = 'query { users(first: 1) { totalCount } }';
    const passwordOnly = await login(graph, admin);
    expect(passwordOnly.__typename).toBe('AuthSession');
    expect((passwordOnly.user as { roles: string[] }).roles).toContain('ADMIN');
    const refused = await graph.request(users, {}, { token: passwordOnly.accessToken as string });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const { secret } = await enrolTotp(graph, { ...admin, accessToken: passwordOnly.accessToken as string });
    const challenge = await login(graph, admin);
    const session = await call(graph, 'CompleteSecondFactor', { challengeId: challenge.challengeId, totp: await totpAt(secret, Math.floor(Date.now() / 1000) + 30) });
    const allowed = await graph.request<{ users: { totalCount: number } }>(users, {}, { token: session.accessToken as string });
    expect(allowed.body.data?.users.totalCount).toBeGreaterThan(0);
  });
});

describe('README "A second factor with curl"', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    // As under `pnpm start`: no SMTP server, so mail is written to the data directory (`pnpm mail:token`).
    graph = await startTestGraph({ env: { SMTP_URL: '' } });
  });
  afterAll(() => graph?.stop());

  it('runs as written, the code computed by its one-line command', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const block = /<!-- second-factor-session:start -->\s*```bash\n([\s\S]*?)```\s*<!-- second-factor-session:end -->/.exec(readme)?.[1];
    expect(block).toContain('URL=http://localhost:4000/graphql');
    const script = block!.replaceAll('URL=http://localhost:4000/graphql', `URL=${graph.routerUrl}`);
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { env: { ...process.env, DATA_DIR: graph.dataDir } });
    const shown = /<!-- second-factor-session-output:start -->\s*```json\n([\s\S]*?)```\s*<!-- second-factor-session-output:end -->/.exec(readme)?.[1];
    const elided = (value: unknown): unknown =>
      value === '…' ? expect.any(String) : Array.isArray(value) ? value.map(elided) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, elided(inner)])) : value;
    const answers = stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
    expect(answers).toEqual(shown!.trim().split('\n').map((line) => elided(JSON.parse(line))));
  });
});
