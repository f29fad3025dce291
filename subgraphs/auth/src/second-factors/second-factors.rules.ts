import type { SecondFactorProof } from './second-factors.model.js';

/** The one proof `completeSecondFactor` was given; null for none or more than one (answered like a wrong code). */
export function secondFactorProof(input: { totp?: string | null; recoveryCode?: string | null; webauthnResponse?: Record<string, unknown> | null }): SecondFactorProof | null {
  const given: SecondFactorProof[] = [];
  if (input.totp != null) given.push({ kind: 'totp', code: input.totp });
  if (input.recoveryCode != null) given.push({ kind: 'recovery_code', code: input.recoveryCode });
  if (input.webauthnResponse != null) given.push({ kind: 'passkey', response: input.webauthnResponse });
  return given.length === 1 ? given[0]! : null;
}
