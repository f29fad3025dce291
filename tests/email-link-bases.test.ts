import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuthConfig } from '@meridian/auth';
import { eventually } from './support/eventually.js';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import type { ReceivedMail } from './support/mailbox.js';
import { registerUser, type SignedInUser } from './support/seed.js';

const BASES = { web: 'https://shop.example', ios: 'https://app.shop.example/open' };

let graph: TestGraph;
let user: SignedInUser;
beforeAll(async () => {
  graph = await startTestGraph({ env: { EMAIL_LINK_BASES: JSON.stringify(BASES) } });
  user = await registerUser(graph);
});
afterAll(() => graph?.stop());

const fresh = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
const password = 'a passphrase for links';
type Result = { __typename: string; fields?: { field: string; code: string; message: string }[] };
const result = (response: { body: { data?: Record<string, unknown> | null } }, field: string) => response.body.data?.[field] as Result;
const mailTo = (to: string, path: string) => (mail: ReceivedMail) => mail.to === to && mail.link?.includes(path) === true;
const LINK = /^(https:\/\/[^?]+)\?token=[A-Za-z0-9_-]{43}$/;

describe('e-mail links open the base the request names', () => {
  it.each([
    ['ios', 'https://app.shop.example/open'],
    [null, 'https://shop.example'],
    ['web', 'https://shop.example'],
  ])('linkBase %j: every link mail starts with %s', async (linkBase, base) => {
    const variables = linkBase === null ? {} : { linkBase };
    const email = fresh('links');
    expect(result(await graph.request(op('Register'), { input: { email, password }, ...variables }), 'register').__typename).toBe('VerificationEmailSent');
    const verification = await graph.mailbox.waitFor(mailTo(email, '/verify-email'));
    expect(verification.link).toMatch(LINK);
    expect(verification.link!.startsWith(`${base}/verify-email?token=`)).toBe(true);

    // A fresh verification link, through requestEmailVerification.
    expect(result(await graph.request(op('RequestEmailVerification'), { email, password, ...variables }), 'requestEmailVerification').__typename).toBe('VerificationEmailSent');
    const renewed = await eventually(async () => {
      const links = graph.mailbox.to(email).filter(mailTo(email, '/verify-email'));
      expect(links).toHaveLength(2);
      return links[1]!;
    });
    expect(renewed.link!.startsWith(`${base}/verify-email?token=`)).toBe(true);
    const signedIn = result(await graph.request(op('VerifyEmail'), { token: renewed.token }), 'verifyEmail') as Result & { accessToken: string };
    expect(signedIn.__typename).toBe('AuthSession');

    expect(result(await graph.request(op('RequestPasswordReset'), { email, ...variables }), 'requestPasswordReset').__typename).toBe('PasswordResetEmailSent');
    expect((await graph.mailbox.waitFor(mailTo(email, '/reset-password'))).link!.startsWith(`${base}/reset-password?token=`)).toBe(true);

    const newEmail = fresh('moved');
    const change = await graph.request(op('RequestEmailChange'), { newEmail, password, ...variables }, { token: signedIn.accessToken });
    expect(result(change, 'requestEmailChange').__typename).toBe('EmailChangeRequested');
    expect((await graph.mailbox.waitFor(mailTo(newEmail, '/confirm-email-change'))).link!.startsWith(`${base}/confirm-email-change?token=`)).toBe(true);

    // A sign-up of a taken address tells its owner, with a way to reset the password at the same base.
    expect(result(await graph.request(op('Register'), { input: { email, password: 'someone else entirely' }, ...variables }), 'register').__typename).toBe('VerificationEmailSent');
    expect((await graph.mailbox.waitFor(mailTo(email, '/forgot-password'))).link).toBe(`${base}/forgot-password`);
  });
});

describe('a link base that is not configured', () => {
  const refusals = (linkBase: string) => [
    ['register', op('Register'), { input: { email: fresh('refused'), password }, linkBase }, undefined],
    ['requestEmailVerification', op('RequestEmailVerification'), { email: fresh('refused'), password, linkBase }, undefined],
    ['requestPasswordReset', op('RequestPasswordReset'), { email: user.email, linkBase }, undefined],
    ['requestEmailChange', op('RequestEmailChange'), { newEmail: fresh('refused'), password: user.password, linkBase }, user.accessToken],
  ] as const;

  it.each(['android', 'https://evil.example', 'https://shop.example', '', 'WEB'])('%j is refused by every mutation that sends a link, and nothing is sent', async (linkBase) => {
    const outboxBefore = await graph.count('auth.outbox');
    const mailBefore = graph.mailbox.received.length;
    for (const [field, query, variables, token] of refusals(linkBase)) {
      const response = await graph.request(query, variables, token ? { token } : {});
      expect({ field, answer: response.body.data?.[field] }).toEqual({
        field,
        answer: {
          __typename: 'ValidationFailed',
          code: 'VALIDATION_FAILED',
          message: 'Some fields are invalid',
          fields: [{ field: 'linkBase', code: 'UNKNOWN_LINK_BASE', message: 'linkBase must be one of the configured names: web, ios.' }],
        },
      });
    }
    expect(await graph.count('auth.outbox')).toBe(outboxBefore);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(graph.mailbox.received.length).toBe(mailBefore);
  });
});

describe('EMAIL_LINK_BASES at start', () => {
  const config = (env: Record<string, string>) => () => readAuthConfig({ PUBLIC_BASE_URL: 'https://shop.example', ...env });

  it('defaults to the web app (PUBLIC_BASE_URL) as `web`', () => {
    const { emailLinkBases } = config({})();
    expect({ defaultName: emailLinkBases.defaultName, urls: Object.fromEntries(emailLinkBases.urls) }).toEqual({ defaultName: 'web', urls: { web: 'https://shop.example' } });
  });

  it('takes named bases, the first as the default, without trailing slashes', () => {
    const { emailLinkBases } = config({ NODE_ENV: 'production', EMAIL_LINK_BASES: '{"ios":"https://app.shop.example/open/","web":"https://shop.example"}' })();
    expect({ defaultName: emailLinkBases.defaultName, urls: Object.fromEntries(emailLinkBases.urls) }).toEqual({
      defaultName: 'ios',
      urls: { ios: 'https://app.shop.example/open', web: 'https://shop.example' },
    });
  });

  it.each([
    ['not JSON', 'web=https://shop.example', /JSON object/],
    ['an array', '["https://shop.example"]', /JSON object/],
    ['no base', '{}', /at least one/],
    ['a URL as a name', '{"https://shop.example":"https://shop.example"}', /not a valid name/],
    ['a relative URL', '{"web":"/verify"}', /absolute URL/],
    ['a query', '{"web":"https://shop.example/?utm=mail"}', /no query or fragment/],
    ['a fragment', '{"web":"https://shop.example/#app"}', /no query or fragment/],
    ['credentials', '{"web":"https://user:secret@shop.example"}', /credentials/],
    ['another scheme', '{"web":"javascript:alert(1)"}', /http\(s\) URL/],
  ])('refuses %s', (_what, value, message) => {
    expect(config({ EMAIL_LINK_BASES: value })).toThrow(message);
  });

  it('refuses http in production, and allows it elsewhere', () => {
    const value = '{"web":"https://shop.example","dev":"http://localhost:3000"}';
    expect(config({ NODE_ENV: 'production', EMAIL_LINK_BASES: value })).toThrow(/the base "dev" must be an https URL/);
    expect(Object.fromEntries(config({ EMAIL_LINK_BASES: value })().emailLinkBases.urls)).toEqual({ web: 'https://shop.example', dev: 'http://localhost:3000' });
  });
});
