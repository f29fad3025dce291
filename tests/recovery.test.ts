import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { eventually } from './support/eventually.js';
import type { ReceivedMail } from './support/mailbox.js';
import { registerUser, type SignedInUser } from './support/seed.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

type Payload = { __typename: string } & Record<string, unknown>;
interface Session extends Payload {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; emailVerified: boolean };
}

const INVALID_TOKEN = { __typename: 'InvalidToken', code: 'INVALID_TOKEN', message: 'This link is invalid or has expired; ask for a new one' };
const INVALID_CREDENTIALS = { __typename: 'InvalidCredentials', code: 'INVALID_CREDENTIALS', message: 'The e-mail address or password is incorrect' };
const INVALID_REFRESH_TOKEN = { __typename: 'InvalidRefreshToken', code: 'INVALID_REFRESH_TOKEN', message: 'This refresh token cannot be used; sign in again' };
const tooWeak = (reason: string, message: string) => ({ __typename: 'PasswordTooWeak', code: 'PASSWORD_TOO_WEAK', message, reason, minLength: 8, maxLength: 128 });

/** Every password and token this file sends or receives: none may ever show up in the audit trail. */
const secrets = new Set<string>();
const SECRET_VARIABLES = ['password', 'newPassword', 'currentPassword', 'token', 'refreshToken'];

const address = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;

/** Runs a client operation from schema/operations and returns its only root field. */
async function run<T extends Payload = Payload>(name: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  for (const [key, value] of Object.entries({ ...variables, ...(variables.input as Record<string, unknown> | undefined) })) {
    if (SECRET_VARIABLES.includes(key) && typeof value === 'string') secrets.add(value);
  }
  const response = await graph.request<Record<string, T>>(op(name), variables, token ? { token } : {});
  expect(response.body.errors).toBeUndefined();
  const result = Object.values(response.body.data!)[0]!;
  for (const key of ['accessToken', 'refreshToken']) if (typeof result[key] === 'string') secrets.add(result[key]);
  return result;
}

const login = (email: string, password: string) => run<Session>('Login', { input: { email, password } });

async function signUp(input: { email?: string; password?: string; preferredLocale?: string } = {}): Promise<SignedInUser> {
  const user = await registerUser(graph, input);
  secrets.add(user.password).add(user.accessToken).add(user.refreshToken);
  return user;
}

const withLink = (path: string) => (mail: ReceivedMail) => mail.link?.startsWith(`https://shop.example${path}?token=`) === true;
const withSubject = (subject: string) => (mail: ReceivedMail) => mail.subject === subject;

/** Waits until exactly `count` mails to `to` match, and returns them, oldest first. */
async function mailsTo(to: string, match: (mail: ReceivedMail) => boolean, count: number): Promise<ReceivedMail[]> {
  const mails = await eventually(async () => {
    const found = graph.mailbox.to(to).filter(match);
    expect(found).toHaveLength(count);
    return found;
  });
  for (const mail of mails) if (mail.token) secrets.add(mail.token);
  return mails;
}

/** Mail queued so far: outbox rows of kind `mail` (requests also queue jobs, which may queue mail later). */
const mailQueued = async () => (await graph.sql<{ count: number }[]>`select count(*)::int as count from auth.outbox where kind = 'mail'`)[0]!.count;

/** Everything a refused request must leave as it was; the mail queued only by count (its worker updates rows). */
async function authState(): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = { mail: await mailQueued() };
  for (const table of ['auth.users', 'auth.registrations', 'auth.email_tokens', 'auth.sessions', 'auth.refresh_tokens']) {
    state[table] = await graph.sql.unsafe(`select * from ${table} order by id`);
  }
  return state;
}

const passwordHashOf = async (userId: string) => (await graph.sql<{ password_hash: string }[]>`select password_hash from auth.users where id = ${userId}`)[0]?.password_hash;

const expireTokens = (purpose: string, email: string) =>
  graph.sql`update auth.email_tokens set expires_at = now() - interval '1 minute' where purpose = ${purpose} and email = ${email} and used_at is null and revoked_at is null`;

/** A POST with headers fetch() will not send as given (Host). */
function postRaw(body: unknown, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(graph.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const meStatus = async (accessToken: string) => {
  const response = await graph.request(op('Me'), {}, { token: accessToken });
  return { status: response.status, code: response.body.errors?.[0]?.extensions?.code ?? null };
};

describe('e-mail verification', () => {
  it('sends a fresh link for a pending sign-up; the earlier link of that sign-up stops working', async () => {
    const email = address('pending');
    expect(await run('Register', { input: { email, password: 'first pending passphrase' } })).toEqual({ __typename: 'VerificationEmailSent', email });
    const [first] = await mailsTo(email, withLink('/verify-email'), 1);

    expect(await run('RequestEmailVerification', { email: email.toUpperCase(), password: 'first pending passphrase' })).toEqual({ __typename: 'VerificationEmailSent', email });
    const [, second] = await mailsTo(email, withLink('/verify-email'), 2);
    expect(second!.token).not.toBe(first!.token);

    const before = await authState();
    expect(await run('VerifyEmail', { token: first!.token })).toEqual(INVALID_TOKEN);
    expect(await authState()).toEqual(before);

    const verified = await run<Session>('VerifyEmail', { token: second!.token });
    expect(verified).toMatchObject({ __typename: 'AuthSession', user: { email, emailVerified: true } });
    expect((await login(email, 'first pending passphrase')).__typename).toBe('AuthSession');
  });

  it('answers an unknown and an already verified address identically, and sends neither a link', async () => {
    const verified = await signUp();
    const unknown = address('nobody');
    const before = await authState();

    const answers = await Promise.all(
      [verified.email, unknown].map((email) => graph.request(op('RequestEmailVerification'), { email, password: 'a perfectly fine passphrase' })),
    );
    expect(answers.map((answer) => [answer.status, answer.body])).toEqual([
      [200, { data: { requestEmailVerification: { __typename: 'VerificationEmailSent', email: verified.email } } }],
      [200, { data: { requestEmailVerification: { __typename: 'VerificationEmailSent', email: unknown } } }],
    ]);
    expect(answers[1]!.text.replace(unknown, verified.email)).toBe(answers[0]!.text);
    // Nothing was issued or mailed, and no verification link can follow.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await authState()).toEqual(before);
    expect(graph.mailbox.to(unknown)).toEqual([]);
    expect(graph.mailbox.to(verified.email).filter(withLink('/verify-email'))).toHaveLength(1);
  });

  it('refuses an expired, a used and a malformed token, creating nothing', async () => {
    const email = address('expiring');
    await run('Register', { input: { email, password: 'an expiring passphrase' } });
    const [link] = await mailsTo(email, withLink('/verify-email'), 1);
    await expireTokens('verify_email', email);

    let before = await authState();
    expect(await run('VerifyEmail', { token: link!.token })).toEqual(INVALID_TOKEN);
    expect(await authState()).toEqual(before);
    expect(await graph.sql`select 1 from auth.users where email = ${email}`).toHaveLength(0);

    await run('RequestEmailVerification', { email, password: 'an expiring passphrase' });
    const [, fresh] = await mailsTo(email, withLink('/verify-email'), 2);
    expect((await run('VerifyEmail', { token: fresh!.token })).__typename).toBe('AuthSession');

    before = await authState();
    for (const token of [fresh!.token, link!.token, '', 'x', 'A'.repeat(300), `${fresh!.token}A`]) {
      expect(await run('VerifyEmail', { token })).toEqual(INVALID_TOKEN);
    }
    expect(await authState()).toEqual(before);
  });

  it('sends no link for a second sign-up of a waiting address, only a notice, and a new link only for its own password', async () => {
    const email = address('contested');
    await run('Register', { input: { email, password: 'the rightful owner passphrase' } });
    const [own] = await mailsTo(email, withLink('/verify-email'), 1);
    // Someone else signs the same address up with their own password: the owner is told, no link is sent.
    expect(await run('Register', { input: { email, password: 'an intruder chose this' } })).toEqual({ __typename: 'VerificationEmailSent', email });
    await eventually(async () => expect(graph.mailbox.to(email).filter((mail) => mail.subject.includes('already waiting'))).toHaveLength(1));
    expect(graph.mailbox.to(email).filter(withLink('/verify-email'))).toHaveLength(1);

    // A new link goes only to whoever knows a waiting sign-up's password: a wrong one sends nothing, the
    // owner's own password renews the owner's sign-up (and never the intruder's).
    const mailBefore = await mailQueued();
    expect(await run('RequestEmailVerification', { email, password: 'a wrong guess of a password' })).toEqual({ __typename: 'VerificationEmailSent', email });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await mailQueued()).toBe(mailBefore);
    expect(await run('RequestEmailVerification', { email, password: 'the rightful owner passphrase' })).toEqual({ __typename: 'VerificationEmailSent', email });
    const [, fresh] = await mailsTo(email, withLink('/verify-email'), 2);
    expect(await run('VerifyEmail', { token: own!.token })).toEqual(INVALID_TOKEN);
    expect(await run('VerifyEmail', { token: fresh!.token })).toMatchObject({ __typename: 'AuthSession', user: { email } });
    expect((await login(email, 'the rightful owner passphrase')).__typename).toBe('AuthSession');
    expect(await login(email, 'an intruder chose this')).toEqual(INVALID_CREDENTIALS);
    expect(await graph.sql`select 1 from auth.registrations where email = ${email} and completed_at is null`).toHaveLength(0);
  });
});

describe('password reset', () => {
  it('answers a known and an unknown address identically, mails only the owner, and ignores the Host headers', async () => {
    const owner = await signUp();
    const unknown = address('stranger');
    const injected = { host: 'evil.example', 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example;proto=http' };
    const mailBefore = await mailQueued();

    const known = await postRaw({ query: op('RequestPasswordReset'), variables: { email: owner.email } }, injected);
    const stranger = await postRaw({ query: op('RequestPasswordReset'), variables: { email: unknown } }, injected);
    expect(known.status).toBe(200);
    expect(JSON.parse(known.text)).toEqual({
      data: { requestPasswordReset: { __typename: 'PasswordResetEmailSent', email: owner.email } },
      extensions: { context: { locale: 'en', currency: 'EUR' } },
    });
    expect(stranger.status).toBe(200);
    expect(stranger.text.replace(unknown, owner.email)).toBe(known.text);

    const [mail] = await mailsTo(owner.email, withLink('/reset-password'), 1);
    expect(await mailQueued()).toBe(mailBefore + 1);
    expect(mail!.link).toMatch(/^https:\/\/shop\.example\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
    const [lifetime] = await graph.sql<{ seconds: number }[]>`select extract(epoch from expires_at - created_at)::float as seconds from auth.email_tokens where purpose = 'reset_password' and user_id = ${owner.id}`;
    expect(lifetime!.seconds).toBeCloseTo(30 * 60, -1);
    expect(mail!.text).not.toContain('evil.example');
    expect(mail!.html).not.toContain('evil.example');
    expect(graph.mailbox.to(unknown)).toEqual([]);
  });

  it('refuses a weak new password and leaves the link usable', async () => {
    const user = await signUp({ email: 'robin.hood@example.com', password: 'sherwood forest archer' });
    await run('RequestPasswordReset', { email: user.email });
    const [mail] = await mailsTo(user.email, withLink('/reset-password'), 1);

    const before = await authState();
    expect(await run('ResetPassword', { token: mail!.token, newPassword: 'password123' })).toEqual(
      tooWeak('TOO_COMMON', 'This password is too common; choose one that is harder to guess'),
    );
    expect(await run('ResetPassword', { token: mail!.token, newPassword: 'Robin.Hood#1987' })).toEqual(
      tooWeak('TOO_SIMILAR_TO_EMAIL', 'The password is too close to the e-mail address'),
    );
    expect(await run('ResetPassword', { token: mail!.token, newPassword: 'short' })).toEqual(tooWeak('TOO_SHORT', 'The password must be at least 8 characters'));
    expect(await authState()).toEqual(before);

    expect(await run('ResetPassword', { token: mail!.token, newPassword: 'a merry new passphrase' })).toMatchObject({ __typename: 'AuthSession', user: { id: user.id } });
  });

  it('sets the new password, ends every earlier session, signs in, and tells the owner', async () => {
    const user = await signUp();
    const second = await login(user.email, user.password);
    await run('RequestPasswordReset', { email: user.email });
    const [mail] = await mailsTo(user.email, withLink('/reset-password'), 1);
    const hashBefore = await passwordHashOf(user.id);

    const reset = await run<Session>('ResetPassword', { token: mail!.token, newPassword: 'a brand new passphrase' });
    expect(reset).toMatchObject({ __typename: 'AuthSession', user: { id: user.id, email: user.email } });
    expect(await passwordHashOf(user.id)).not.toBe(hashBefore);

    expect(await login(user.email, user.password)).toEqual(INVALID_CREDENTIALS);
    expect((await login(user.email, 'a brand new passphrase')).__typename).toBe('AuthSession');

    for (const refreshToken of [user.refreshToken, second.refreshToken]) {
      expect(await run('RefreshSession', { refreshToken })).toEqual(INVALID_REFRESH_TOKEN);
    }
    for (const accessToken of [user.accessToken, second.accessToken]) {
      await eventually(async () => expect(await meStatus(accessToken)).toEqual({ status: 401, code: 'UNAUTHENTICATED' }), 5_000);
    }
    expect(await meStatus(reset.accessToken)).toEqual({ status: 200, code: null });
    expect((await run('RefreshSession', { refreshToken: reset.refreshToken })).__typename).toBe('AuthSession');

    const before = await authState();
    expect(await run('ResetPassword', { token: mail!.token, newPassword: 'yet another passphrase' })).toEqual(INVALID_TOKEN);
    expect(await authState()).toEqual(before);

    const [notice] = await mailsTo(user.email, withSubject('Your Meridian password has been changed'), 1);
    expect(notice!.token).toBeNull();
  });

  it('refuses a link superseded by a newer one, and an expired link', async () => {
    const user = await signUp();
    await run('RequestPasswordReset', { email: user.email });
    await mailsTo(user.email, withLink('/reset-password'), 1);
    await run('RequestPasswordReset', { email: user.email });
    const [older, newer] = await mailsTo(user.email, withLink('/reset-password'), 2);

    const before = await authState();
    expect(await run('ResetPassword', { token: older!.token, newPassword: 'a superseded passphrase' })).toEqual(INVALID_TOKEN);
    await expireTokens('reset_password', user.email);
    const expired = await authState();
    expect(await run('ResetPassword', { token: newer!.token, newPassword: 'an expired passphrase' })).toEqual(INVALID_TOKEN);
    expect(await authState()).toEqual(expired);
    expect(expired['auth.users']).toEqual(before['auth.users']);
    expect((await login(user.email, user.password)).__typename).toBe('AuthSession');
  });

  it('kills an outstanding reset link when the password is changed', async () => {
    const user = await signUp();
    await run('RequestPasswordReset', { email: user.email });
    const [mail] = await mailsTo(user.email, withLink('/reset-password'), 1);
    expect(await run('ChangePassword', { currentPassword: user.password, newPassword: 'changed by its owner' }, user.accessToken)).toEqual({
      __typename: 'PasswordChanged',
      endedSessions: 0,
      user: { id: user.id, sessions: [expect.objectContaining({ current: true })] },
    });

    const before = await authState();
    expect(await run('ResetPassword', { token: mail!.token, newPassword: 'set through an old link' })).toEqual(INVALID_TOKEN);
    expect(await authState()).toEqual(before);
    expect((await login(user.email, 'changed by its owner')).__typename).toBe('AuthSession');
  });

  it('still works while sign-in is locked after 10 wrong passwords', async () => {
    const user = await signUp();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect(await login(user.email, `wrong password ${attempt}`)).toEqual(INVALID_CREDENTIALS);
    }
    expect(await login(user.email, user.password)).toEqual(INVALID_CREDENTIALS);
    expect(await graph.sql`select 1 from auth.audit_events where kind = 'lockout' and user_id = ${user.id}`).toHaveLength(1);

    expect(await run('RequestPasswordReset', { email: user.email })).toEqual({ __typename: 'PasswordResetEmailSent', email: user.email });
    const [mail] = await mailsTo(user.email, withLink('/reset-password'), 1);
    const reset = await run<Session>('ResetPassword', { token: mail!.token, newPassword: 'unlocked by a reset link' });
    expect(reset).toMatchObject({ __typename: 'AuthSession', user: { id: user.id } });
    expect(await meStatus(reset.accessToken)).toEqual({ status: 200, code: null });
  });
});

describe('changing the password', () => {
  it('refuses a wrong current password and a weak new one, changing nothing', async () => {
    const user = await signUp();
    const before = await authState();
    expect(await run('ChangePassword', { currentPassword: 'not my password', newPassword: 'a fine new passphrase' }, user.accessToken)).toEqual(INVALID_CREDENTIALS);
    expect(await run('ChangePassword', { currentPassword: user.password, newPassword: 'password123' }, user.accessToken)).toEqual(
      tooWeak('TOO_COMMON', 'This password is too common; choose one that is harder to guess'),
    );
    expect(await authState()).toEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(graph.mailbox.to(user.email).filter(withSubject('Your Meridian password has been changed'))).toEqual([]);
  });

  it('ends every other live session, keeps the current one, and reports how many ended', async () => {
    const user = await signUp();
    const laptop = await login(user.email, user.password);
    const phone = await login(user.email, user.password);
    const ended = await login(user.email, user.password);
    expect(await graph.request(op('Logout'), {}, { token: ended.accessToken })).toMatchObject({ body: { data: { logout: { __typename: 'LoggedOut' } } } });

    const phoneSession = JSON.parse(Buffer.from(phone.accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
    expect(await run('ChangePassword', { currentPassword: user.password, newPassword: 'changed on the phone' }, phone.accessToken)).toEqual({
      __typename: 'PasswordChanged',
      endedSessions: 2,
      user: { id: user.id, sessions: [expect.objectContaining({ id: phoneSession, current: true })] },
    });
    expect((await run('RefreshSession', { refreshToken: phone.refreshToken })).__typename).toBe('AuthSession');
    expect(await meStatus(phone.accessToken)).toEqual({ status: 200, code: null });
    for (const other of [user, laptop]) {
      expect(await run('RefreshSession', { refreshToken: other.refreshToken })).toEqual(INVALID_REFRESH_TOKEN);
      await eventually(async () => expect(await meStatus(other.accessToken)).toEqual({ status: 401, code: 'UNAUTHENTICATED' }), 5_000);
    }
    expect(await login(user.email, user.password)).toEqual(INVALID_CREDENTIALS);
    expect((await login(user.email, 'changed on the phone')).__typename).toBe('AuthSession');
    await mailsTo(user.email, withSubject('Your Meridian password has been changed'), 1);
  });
});

describe('changing the e-mail address', () => {
  it('refuses a wrong password, an invalid address and the current address, changing nothing', async () => {
    const user = await signUp();
    const before = await authState();
    expect(await run('RequestEmailChange', { newEmail: address('elsewhere'), password: 'not my password' }, user.accessToken)).toEqual(INVALID_CREDENTIALS);
    expect(await run('RequestEmailChange', { newEmail: 'not-an-email', password: user.password }, user.accessToken)).toEqual({
      __typename: 'InvalidEmail',
      code: 'INVALID_EMAIL',
      message: 'This is not a valid e-mail address',
    });
    expect(await run('RequestEmailChange', { newEmail: ` ${user.email.toUpperCase()} `, password: user.password }, user.accessToken)).toEqual({
      __typename: 'InvalidEmail',
      code: 'INVALID_EMAIL',
      message: 'This is already your e-mail address',
    });
    expect(await authState()).toEqual(before);
  });

  it('moves the account to a new address once the link sent there is followed, telling the old address at both steps', async () => {
    const user = await signUp();
    const newEmail = address('moved');
    expect(await run('RequestEmailChange', { newEmail: newEmail.toUpperCase(), password: user.password }, user.accessToken)).toEqual({
      __typename: 'EmailChangeRequested',
      newEmail,
    });
    const [confirm] = await mailsTo(newEmail, withLink('/confirm-email-change'), 1);
    expect(confirm!.link).toMatch(/^https:\/\/shop\.example\/confirm-email-change\?token=[A-Za-z0-9_-]{43}$/);
    const [lifetime] = await graph.sql<{ seconds: number }[]>`select extract(epoch from expires_at - created_at)::float as seconds from auth.email_tokens where purpose = 'change_email' and user_id = ${user.id}`;
    expect(lifetime!.seconds).toBeCloseTo(24 * 60 * 60, -1);
    const [requested] = await mailsTo(user.email, withSubject('Request to change your email address'), 1);
    expect(requested!.token).toBeNull();
    expect(await login(newEmail, user.password)).toEqual(INVALID_CREDENTIALS);

    // Following the link signs no one in: an anonymous request gets the new address, not the account.
    expect(await run('ConfirmEmailChange', { token: confirm!.token })).toEqual({ __typename: 'EmailChanged', email: newEmail, user: null });
    expect(await graph.sql`select email, email_verified from auth.users where id = ${user.id}`).toEqual([{ email: newEmail, email_verified: true }]);
    expect(await login(newEmail, user.password)).toMatchObject({ __typename: 'AuthSession', user: { id: user.id, email: newEmail } });
    expect(await login(user.email, user.password)).toEqual(INVALID_CREDENTIALS);
    const [changed] = await mailsTo(user.email, withSubject('Your Meridian email address has been changed'), 1);
    expect(changed!.token).toBeNull();

    const before = await authState();
    expect(await run('ConfirmEmailChange', { token: confirm!.token })).toEqual(INVALID_TOKEN);
    expect(await authState()).toEqual(before);
  });

  it('kills reset links sent to the old address once the account moves away from it', async () => {
    const user = await signUp();
    await run('RequestPasswordReset', { email: user.email });
    const [reset] = await mailsTo(user.email, withLink('/reset-password'), 1);
    const newEmail = address('escaped');
    await run('RequestEmailChange', { newEmail, password: user.password }, user.accessToken);
    const [confirm] = await mailsTo(newEmail, withLink('/confirm-email-change'), 1);
    // Signed in as the account, the answer carries it, with the new address, for the client's cache.
    expect(await run('ConfirmEmailChange', { token: confirm!.token }, user.accessToken)).toMatchObject({
      __typename: 'EmailChanged',
      email: newEmail,
      user: { id: user.id, email: newEmail, emailVerified: true },
    });

    const before = await authState();
    expect(await run('ResetPassword', { token: reset!.token, newPassword: 'whoever holds the old mailbox' })).toEqual(INVALID_TOKEN);
    expect(await authState()).toEqual(before);
    expect((await login(newEmail, user.password)).__typename).toBe('AuthSession');
  });

  it('gives the same answer for a taken address, tells its owner, and issues no link', async () => {
    const user = await signUp();
    const owner = await signUp();
    const tokensBefore = await graph.sql`select * from auth.email_tokens where user_id = ${user.id} order by id`;

    expect(await run('RequestEmailChange', { newEmail: owner.email, password: user.password }, user.accessToken)).toEqual({
      __typename: 'EmailChangeRequested',
      newEmail: owner.email,
    });
    expect(await graph.sql`select * from auth.email_tokens where user_id = ${user.id} order by id`).toEqual(tokensBefore);
    const [notice] = await mailsTo(owner.email, withSubject('You already have a Meridian account'), 1);
    expect(notice!.link).toBe('https://shop.example/forgot-password');
    expect(notice!.token).toBeNull();
    await mailsTo(user.email, withSubject('Request to change your email address'), 1);
    expect(graph.mailbox.to(owner.email).filter(withLink('/confirm-email-change'))).toEqual([]);
    expect(await graph.sql`select email from auth.users where id = ${user.id}`).toEqual([{ email: user.email }]);
  });
});

describe('mail language', () => {
  it('writes to a user who signed up with locale de-DE in German', async () => {
    const english = await signUp();
    const german = await signUp({ preferredLocale: 'de-DE' });
    const [englishVerify] = await mailsTo(english.email, withLink('/verify-email'), 1);
    const [germanVerify] = await mailsTo(german.email, withLink('/verify-email'), 1);
    expect(englishVerify).toMatchObject({ language: 'en', subject: 'Confirm your email address' });
    expect(germanVerify).toMatchObject({ language: 'de', subject: 'Bestätigen Sie Ihre E-Mail-Adresse' });

    await run('RequestPasswordReset', { email: english.email });
    await run('RequestPasswordReset', { email: german.email });
    const [englishReset] = await mailsTo(english.email, withLink('/reset-password'), 1);
    const [germanReset] = await mailsTo(german.email, withLink('/reset-password'), 1);
    expect(englishReset).toMatchObject({ language: 'en', subject: 'Reset your Meridian password' });
    expect(germanReset).toMatchObject({ language: 'de', subject: 'Meridian-Passwort zurücksetzen' });
    expect(germanReset!.text).toContain('Hallo,');
  });
});

describe('audit trail', () => {
  it('records every recovery step, and never a password, a token or a token hash', async () => {
    const user = await signUp();
    const other = await login(user.email, user.password);
    await run('RequestPasswordReset', { email: user.email });
    const [reset] = await mailsTo(user.email, withLink('/reset-password'), 1);
    const session = await run<Session>('ResetPassword', { token: reset!.token, newPassword: 'audited reset passphrase' });
    await run('ChangePassword', { currentPassword: 'audited reset passphrase', newPassword: 'audited changed passphrase' }, session.accessToken);
    const newEmail = address('audited');
    await run('RequestEmailChange', { newEmail, password: 'audited changed passphrase' }, session.accessToken);
    const [confirm] = await mailsTo(newEmail, withLink('/confirm-email-change'), 1);
    expect((await run('ConfirmEmailChange', { token: confirm!.token })).__typename).toBe('EmailChanged');
    expect(other.refreshToken).not.toBe(session.refreshToken);

    const kinds = await graph.sql<{ kind: string }[]>`select kind from auth.audit_events where user_id = ${user.id} order by occurred_at, id`;
    expect(kinds.map((row) => row.kind)).toEqual(
      expect.arrayContaining([
        'email_verified',
        'password_reset_requested',
        'session_revoked',
        'password_reset_completed',
        'password_changed',
        'email_change_requested',
        'email_changed',
      ]),
    );
    const [revoked] = await graph.sql`select count(*)::int as count from auth.audit_events where user_id = ${user.id} and kind = 'session_revoked'`;
    expect(revoked?.count).toBe(2);

    // Everything secret this file used, plus every stored hash of a password or token.
    const stored = await graph.sql<{ value: string }[]>`
      select password_hash as value from auth.users
      union all select password_hash from auth.registrations where password_hash <> ''
      union all select token_hash from auth.email_tokens
      union all select token_hash from auth.refresh_tokens`;
    const forbidden = [...secrets, ...stored.map((row) => row.value)].filter((value) => value.length >= 8);
    expect(forbidden.length).toBeGreaterThan(50);
    const audit = await graph.sql`select * from auth.audit_events`;
    expect(audit.length).toBeGreaterThan(20);
    const leaks = audit.flatMap((row) => {
      const serialized = JSON.stringify(row);
      return forbidden.filter((secret) => serialized.includes(secret)).map((secret) => ({ kind: row.kind as string, secret }));
    });
    expect(leaks).toEqual([]);
  });
});
