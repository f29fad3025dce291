/** What `User.secondFactors` resolves from. */
export interface SecondFactorsSummary {
  userId: string;
  totp: boolean;
  passkeys: PasskeySummary[];
  recoveryCodesRemaining: number;
}

/** One passkey, as its owner sees it (`Passkey`). */
export interface PasskeySummary {
  id: string;
  userId: string;
  name: string;
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The second factors an account can finish a sign-in with (`SecondFactorMethod`). */
export type SecondFactorMethod = 'TOTP' | 'RECOVERY_CODE' | 'PASSKEY';

/** What a second-factor attempt carries: exactly one of them (`completeSecondFactor`). */
export type SecondFactorProof = { kind: 'totp'; code: string } | { kind: 'recovery_code'; code: string } | { kind: 'passkey'; response: Record<string, unknown> };
