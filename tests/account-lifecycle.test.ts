import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { eventually } from './support/eventually.js';
import { registerUser, sampleAddress } from './support/seed.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

interface Session {
  __typename: string;
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
  user: { id: string; email: string; roles: string[]; emailVerified: boolean };
  code?: string;
  message?: string;
}

describe('a customer, start to finish, through the router', () => {
  it('signs up with a verified address, manages the address book, refreshes and signs out', async () => {
    // register: e-mail normalized; the account exists only once the link is followed
    const registered = await graph.request<{ register: Record<string, unknown> }>(op('Register'), {
      input: { email: '  Grace.Hopper@Example.COM ', password: 'cobol is a fine language', displayName: ' Grace  Hopper ', preferredLocale: 'en-us' },
    });
    expect(registered.body.data!.register).toEqual({ __typename: 'VerificationEmailSent', email: 'grace.hopper@example.com' });
    expect(await graph.count('auth.users')).toBe(0);
    const unverified = await graph.request<{ login: Session }>(op('Login'), { input: { email: 'grace.hopper@example.com', password: 'cobol is a fine language' } });
    expect(unverified.body.data!.login.__typename).toBe('InvalidCredentials');

    const mail = await graph.mailbox.waitFor((received) => received.to === 'grace.hopper@example.com');
    expect(mail.link).toMatch(/^https:\/\/shop\.example\/verify-email\?token=[A-Za-z0-9_-]{43}$/);
    expect(mail.language).toBe('en');
    const verified = await graph.request<{ verifyEmail: Session }>(op('VerifyEmail'), { token: mail.token });
    const session = verified.body.data!.verifyEmail;
    expect(session).toMatchObject({
      __typename: 'AuthSession',
      user: { email: 'grace.hopper@example.com', roles: ['CUSTOMER'], emailVerified: true },
    });
    expect(new Date(session.accessTokenExpiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60 * 1000);
    expect(new Date(session.accessTokenExpiresAt).getTime() - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    const reused = await graph.request<{ verifyEmail: Session }>(op('VerifyEmail'), { token: mail.token });
    expect(reused.body.data!.verifyEmail).toMatchObject({ __typename: 'InvalidToken', code: 'INVALID_TOKEN' });

    // login with a case variant of the e-mail
    const login = await graph.request<{ login: Session }>(op('Login'), {
      input: { email: 'GRACE.HOPPER@example.com', password: 'cobol is a fine language' },
    });
    expect(login.body.data!.login.__typename).toBe('AuthSession');
    expect(login.body.data!.login.user.id).toBe(session.user.id);
    const token = login.body.data!.login.accessToken;

    // me: both subgraphs answer in one request; the profile given at sign-up arrives through the outbox
    const me = await eventually(async () => {
      const response = await graph.request<{ me: Record<string, unknown> }>(op('Me'), {}, { token });
      expect(response.body.data!.me).toMatchObject({ profile: { displayName: 'Grace Hopper' } });
      return response;
    });
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data!.me).toMatchObject({
      id: session.user.id,
      email: 'grace.hopper@example.com',
      profile: { displayName: 'Grace Hopper', preferredLocale: 'en-US', phone: null, preferredCurrency: null },
      addresses: [],
      defaultShippingAddress: null,
      defaultBillingAddress: null,
    });

    // profile update: a patch, normalized
    const profile = await graph.request<{ updateProfile: Record<string, unknown> }>(
      op('UpdateProfile'),
      { input: { phone: '+44 20 7946 0958', preferredCurrency: 'GBP' } },
      { token },
    );
    expect(profile.body.data!.updateProfile).toEqual({
      __typename: 'ProfileUpdated',
      user: {
        id: session.user.id,
        profile: { displayName: 'Grace Hopper', phone: '+442079460958', preferredLocale: 'en-US', preferredCurrency: 'GBP' },
      },
    });

    // add two addresses
    type Added = { __typename: string; address: Record<string, unknown> & { id: string }; user: { id: string; addresses: { id: string }[] } };
    const added = await graph.request<{ addAddress: Added }>(op('AddAddress'), { input: sampleAddress }, { token });
    expect(added.body.data!.addAddress).toMatchObject({
      __typename: 'AddressAdded',
      address: { fullName: 'Ada Lovelace', postalCode: 'SW1A 2AA', countryCode: 'GB', region: null },
      user: { id: session.user.id },
    });
    const home = added.body.data!.addAddress.address.id;
    expect(added.body.data!.addAddress.user.addresses.map((address) => address.id)).toEqual([home]);
    const office = await graph.request<{ addAddress: Added }>(
      op('AddAddress'),
      { input: { fullName: 'Grace Hopper', line1: '1600 Amphitheatre Pkwy', city: 'Mountain View', region: 'california', postalCode: '94043', countryCode: 'US' } },
      { token },
    );
    expect(office.body.data!.addAddress.address).toMatchObject({ region: 'CA', postalCode: '94043' });
    const work = office.body.data!.addAddress.address.id;
    expect(office.body.data!.addAddress.user.addresses.map((address) => address.id)).toEqual([home, work]);

    // update: patch merged and revalidated as a whole
    const updated = await graph.request<{ updateAddress: Record<string, unknown> }>(
      op('UpdateAddress'),
      { id: work, input: { line2: 'Building 42', postalCode: '94043-1351' } },
      { token },
    );
    expect(updated.body.data!.updateAddress).toMatchObject({
      __typename: 'AddressUpdated',
      address: { id: work, line2: 'Building 42', postalCode: '94043-1351', city: 'Mountain View' },
      user: { id: session.user.id },
    });

    const invalid = await graph.request<{ updateAddress: Record<string, unknown> }>(
      op('UpdateAddress'),
      { id: work, input: { postalCode: 'ABCDE', region: 'Atlantis' } },
      { token },
    );
    expect(invalid.body.data!.updateAddress).toMatchObject({
      __typename: 'ValidationFailed',
      code: 'VALIDATION_FAILED',
      fields: expect.arrayContaining([
        expect.objectContaining({ field: 'postalCode', code: 'INVALID_POSTAL_CODE' }),
        expect.objectContaining({ field: 'region', code: 'INVALID_REGION' }),
      ]),
    });

    // defaults
    const shipping = await graph.request<{ setDefaultAddress: Record<string, unknown> }>(op('SetDefaultAddress'), { id: home, kind: 'SHIPPING' }, { token });
    expect(shipping.body.data!.setDefaultAddress).toMatchObject({
      __typename: 'DefaultAddressSet',
      user: { id: session.user.id, defaultShippingAddress: { id: home }, defaultBillingAddress: null },
    });
    const billing = await graph.request<{ setDefaultAddress: Record<string, unknown> }>(op('SetDefaultAddress'), { id: work, kind: 'BILLING' }, { token });
    expect(billing.body.data!.setDefaultAddress).toMatchObject({
      __typename: 'DefaultAddressSet',
      user: { id: session.user.id, defaultShippingAddress: { id: home }, defaultBillingAddress: { id: work } },
    });

    // delete clears the default it was
    const deleted = await graph.request<{ deleteAddress: Record<string, unknown> }>(op('DeleteAddress'), { id: work }, { token });
    expect(deleted.body.data!.deleteAddress).toMatchObject({
      __typename: 'AddressDeleted',
      id: work,
      user: { id: session.user.id, addresses: [expect.objectContaining({ id: home })], defaultShippingAddress: { id: home }, defaultBillingAddress: null },
    });
    const again = await graph.request<{ deleteAddress: Record<string, unknown> }>(op('DeleteAddress'), { id: work }, { token });
    expect(again.body.data!.deleteAddress).toMatchObject({ __typename: 'NotFound', code: 'NOT_FOUND' });

    const after = await graph.request<{ me: { addresses: { id: string }[]; defaultShippingAddress: unknown; defaultBillingAddress: unknown } }>(op('Me'), {}, { token });
    expect(after.body.data!.me.addresses.map((address) => address.id)).toEqual([home]);
    expect(after.body.data!.me.defaultShippingAddress).toEqual({ id: home });
    expect(after.body.data!.me.defaultBillingAddress).toBeNull();

    // refresh rotates the refresh token
    const refreshed = await graph.request<{ refreshSession: Session }>(op('RefreshSession'), { refreshToken: login.body.data!.login.refreshToken });
    const next = refreshed.body.data!.refreshSession;
    expect(next.__typename).toBe('AuthSession');
    expect(next.refreshToken).not.toBe(login.body.data!.login.refreshToken);
    expect(next.user.id).toBe(session.user.id);

    // logout ends the session: its newest refresh token stops working
    const logout = await graph.request(op('Logout'), {}, { token: next.accessToken });
    expect(logout.body).toEqual({ data: { logout: { __typename: 'LoggedOut', sessionId: expect.any(String) } } });
    const afterLogout = await graph.request<{ refreshSession: Session }>(op('RefreshSession'), { refreshToken: next.refreshToken });
    expect(afterLogout.body.data!.refreshSession).toMatchObject({ __typename: 'InvalidRefreshToken', code: 'INVALID_REFRESH_TOKEN' });

    // the session from registration is a separate session and still works
    const other = await graph.request<{ refreshSession: Session }>(op('RefreshSession'), { refreshToken: session.refreshToken });
    expect(other.body.data!.refreshSession.__typename).toBe('AuthSession');
  });

  it('answers me with null for an anonymous caller and refuses anonymous mutations', async () => {
    const me = await graph.request(op('Me'));
    expect(me.body).toEqual({ data: { me: null } });
    const add = await graph.request(op('AddAddress'), { input: sampleAddress });
    expect(add.body.data).toBeNull();
    expect(add.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await graph.count('users.addresses')).toBe(1);
  });

  it('stores only hashes of passwords and refresh tokens', async () => {
    const user = await registerUser(graph, { password: 'unmistakable passphrase 42' });
    const [account] = await graph.sql`select password_hash from auth.users where id = ${user.id}`;
    expect(account?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const tokens = await graph.sql`select token_hash from auth.refresh_tokens rt join auth.sessions s on s.id = rt.session_id where s.user_id = ${user.id}`;
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.token_hash).not.toBe(user.refreshToken);
    expect(tokens[0]?.token_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
