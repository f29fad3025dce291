import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';

/** The relying party passkeys are bound to (`WEBAUTHN_RP_ID`, `WEBAUTHN_ORIGINS`, `WEBAUTHN_RP_NAME`). */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

export interface StoredPasskey {
  credentialId: string;
  publicKey: string;
  signCount: number;
  transports: string[];
}

const CEREMONY_TIMEOUT_MS = 5 * 60 * 1000;

/** Options for the browser, as the JSON object `JSON` carries, and the challenge they ask to sign. */
export interface CeremonyOptions {
  challenge: string;
  options: Record<string, unknown>;
}

const ceremony = (options: { challenge: string }): CeremonyOptions => ({ challenge: options.challenge, options: options as unknown as Record<string, unknown> });

/**
 * @simplewebauthn/server, wrapped: user verification is required (a passkey alone signs in), attestation
 * `none` (no vendor attestation is needed to trust a passkey here), and any library refusal (wrong origin,
 * RP id, challenge or signature, malformed response) becomes `null`.
 */
export function createWebAuthn(rp: RelyingParty) {
  return {
    registrationOptions: async (user: { id: string; email: string }, existing: StoredPasskey[]) =>
      ceremony(await generateRegistrationOptions({
        rpName: rp.name,
        rpID: rp.id,
        userName: user.email,
        userID: Buffer.from(user.id, 'utf8'),
        attestationType: 'none',
        timeout: CEREMONY_TIMEOUT_MS,
        excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      })),

    async verifyRegistration(response: Record<string, unknown>, expectedChallenge: string) {
      try {
        const result = await verifyRegistrationResponse({
          response: response as unknown as RegistrationResponseJSON,
          expectedChallenge,
          expectedOrigin: rp.origins,
          expectedRPID: rp.id,
          requireUserVerification: true,
        });
        if (!result.verified) return null;
        const { credential, credentialBackedUp } = result.registrationInfo;
        return {
          credentialId: credential.id,
          publicKey: Buffer.from(credential.publicKey).toString('base64url'),
          signCount: credential.counter,
          transports: credential.transports ?? [],
          backedUp: credentialBackedUp,
        };
      } catch {
        return null;
      }
    },

    authenticationOptions: async (allowed: StoredPasskey[] | null) =>
      ceremony(await generateAuthenticationOptions({
        rpID: rp.id,
        timeout: CEREMONY_TIMEOUT_MS,
        userVerification: 'required',
        // None for a passkey sign-in: the authenticator offers its discoverable credentials for this RP.
        ...(allowed === null ? {} : { allowCredentials: allowed.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports as never })) }),
      })),

    /** The credential id the response claims to come from, to look its passkey up; null when malformed. */
    credentialIdOf(response: Record<string, unknown>): string | null {
      return typeof response.id === 'string' && /^[A-Za-z0-9_-]{1,1366}$/.test(response.id) ? response.id : null;
    },

    /** The user handle the authenticator returned (our user id) for a discoverable credential, if any. */
    userHandleOf(response: Record<string, unknown>): string | null {
      const inner = response.response as Record<string, unknown> | undefined;
      const handle = inner?.userHandle;
      return typeof handle === 'string' ? Buffer.from(handle, 'base64url').toString('utf8') : null;
    },

    async verifyAuthentication(response: Record<string, unknown>, expectedChallenge: string, passkey: StoredPasskey) {
      try {
        const result = await verifyAuthenticationResponse({
          response: response as unknown as AuthenticationResponseJSON,
          expectedChallenge,
          expectedOrigin: rp.origins,
          expectedRPID: rp.id,
          credential: {
            id: passkey.credentialId,
            publicKey: Buffer.from(passkey.publicKey, 'base64url'),
            counter: passkey.signCount,
            transports: passkey.transports as never,
          },
          requireUserVerification: true,
        });
        return result.verified ? { newSignCount: result.authenticationInfo.newCounter } : null;
      } catch {
        return null;
      }
    },
  };
}

export type WebAuthn = ReturnType<typeof createWebAuthn>;
