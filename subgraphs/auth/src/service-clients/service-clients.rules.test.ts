import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, serviceSubject } from '@meridian/platform';
import { authenticateClient, parseServiceClients } from './service-clients.rules.js';

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
const orders = { id: 'orders', secretSha256: sha256('orders secret'), roles: ['checkout'] };

describe('parseServiceClients', () => {
  it('reads clients by id, with the subject of their tokens', () => {
    const clients = parseServiceClients([orders, { id: 'cart', secretSha256: sha256('cart secret').toUpperCase(), roles: ['checkout', 'checkout'] }]);
    expect([...clients.keys()]).toEqual(['orders', 'cart']);
    expect(clients.get('cart')).toEqual({ id: 'cart', secretSha256: Buffer.from(sha256('cart secret'), 'hex'), roles: ['checkout'], subject: serviceSubject('cart') });
    expect(parseServiceClients(undefined).size).toBe(0);
  });

  it.each([
    ['not an array', { clients: [orders] }, /must be a JSON array/],
    ['an entry that is no object', ['orders'], /SERVICE_CLIENTS\[0\] must be an object/],
    ['a secret in clear', [{ ...orders, secret: 'orders secret' }], /unknown keys \(secret\).*never configured/],
    ['a malformed id', [{ ...orders, id: 'Orders Service' }], /SERVICE_CLIENTS\[0\]\.id must match/],
    ['a client listed twice', [orders, { ...orders, secretSha256: sha256('other') }], /lists the client "orders" twice/],
    ['a hash that is no SHA-256', [{ ...orders, secretSha256: 'orders secret' }], /secretSha256 of "orders" must be the SHA-256/],
    ['two clients sharing a secret', [orders, { ...orders, id: 'cart' }], /"orders" and "cart" have the same secret/],
    ['no roles', [{ ...orders, roles: [] }], /roles of "orders" must be a non-empty array/],
    ['the admin role', [{ ...orders, roles: ['checkout', 'admin'] }], /"orders" cannot hold "admin": a service may hold only checkout/],
    ['the customer role', [{ ...orders, roles: ['customer'] }], /cannot hold "customer"/],
    ['the erasure role', [{ ...orders, roles: ['account_erasure'] }], /cannot hold "account_erasure"/],
  ])('refuses %s', (_case, value, message) => {
    expect(() => parseServiceClients(value)).toThrow(ConfigError);
    expect(() => parseServiceClients(value)).toThrow(message);
  });
});

describe('authenticateClient', () => {
  const clients = parseServiceClients([orders]);

  it('finds the client whose id and secret these are, and nothing else', () => {
    expect(authenticateClient(clients, 'orders', 'orders secret')?.id).toBe('orders');
    expect(authenticateClient(clients, 'orders', 'orders secret ')).toBeNull();
    expect(authenticateClient(clients, 'orders', '')).toBeNull();
    expect(authenticateClient(clients, 'cart', 'orders secret')).toBeNull();
    expect(authenticateClient(clients, '__proto__', 'orders secret')).toBeNull();
  });
});

describe('serviceSubject', () => {
  it('is a stable UUIDv5, never a UUIDv7 as account ids are', () => {
    expect(serviceSubject('orders')).toBe(serviceSubject('orders'));
    expect(serviceSubject('orders')).not.toBe(serviceSubject('cart'));
    expect(serviceSubject('orders')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
