import { describe, expect, it } from 'vitest';
import { readAuthConfig } from './config.js';

const base = { PUBLIC_BASE_URL: 'https://shop.example' };

describe('second-factor settings', () => {
  it('requires admins to use a second factor by default in production only', () => {
    expect(readAuthConfig({ ...base, NODE_ENV: 'production' }).adminRequireMfa).toBe(true);
    expect(readAuthConfig({ ...base, NODE_ENV: 'production', ADMIN_REQUIRE_MFA: 'false' }).adminRequireMfa).toBe(false);
    expect(readAuthConfig(base).adminRequireMfa).toBe(false);
    expect(readAuthConfig({ ...base, ADMIN_REQUIRE_MFA: 'true' }).adminRequireMfa).toBe(true);
    expect(() => readAuthConfig({ ...base, ADMIN_REQUIRE_MFA: 'yes please' })).toThrow(/ADMIN_REQUIRE_MFA/);
  });

  it('binds passkeys to the web app by default, and refuses an origin off the relying party', () => {
    expect(readAuthConfig(base).webauthn).toEqual({ id: 'shop.example', name: 'Meridian', origins: ['https://shop.example'] });
    expect(readAuthConfig({ ...base, WEBAUTHN_RP_ID: 'example', WEBAUTHN_ORIGINS: 'https://shop.example, https://m.shop.example' }).webauthn.origins).toEqual([
      'https://shop.example',
      'https://m.shop.example',
    ]);
    expect(() => readAuthConfig({ ...base, WEBAUTHN_ORIGINS: 'https://evil.test' })).toThrow(/WEBAUTHN_ORIGINS/);
  });
});
