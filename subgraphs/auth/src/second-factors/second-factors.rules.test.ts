import { describe, expect, it } from 'vitest';
import { normalizeRecoveryCode, newRecoveryCodes, recoveryCodeHash } from './recovery-codes.js';
import { secondFactorProof } from './second-factors.rules.js';

describe('secondFactorProof', () => {
  it('takes exactly one proof', () => {
    expect(secondFactorProof({ totp: '123456' })).toEqual({ kind: 'totp', code: '123456' });
    expect(secondFactorProof({ recoveryCode: 'abcde-fghjk' })).toEqual({ kind: 'recovery_code', code: 'abcde-fghjk' });
    expect(secondFactorProof({ webauthnResponse: { id: 'x' } })).toEqual({ kind: 'passkey', response: { id: 'x' } });
  });

  it('refuses none and more than one', () => {
    expect(secondFactorProof({})).toBeNull();
    expect(secondFactorProof({ totp: '123456', recoveryCode: 'abcde-fghjk' })).toBeNull();
  });
});

describe('recovery codes', () => {
  it('makes ten distinct codes of two groups of five', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  });

  it('accepts a code typed back in upper case, with spaces, without the dash', () => {
    const key = Buffer.alloc(32, 7);
    const [code] = newRecoveryCodes();
    const typed = ` ${code!.toUpperCase().replace('-', ' ')} `;
    expect(recoveryCodeHash(key, typed)).toBe(recoveryCodeHash(key, code!));
    expect(normalizeRecoveryCode('not a code')).toBeNull();
  });
});
