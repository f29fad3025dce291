import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A WebAuthn authenticator in software, for driving registration and sign-in ceremonies through the
 * graph as a browser and a platform authenticator would (W3C WebAuthn Level 3, §6.1 and §6.5): a P-256
 * key pair per credential, client data signed over the authenticator data, attestation `none`.
 * Nothing of the server's library is mocked: its verification runs on what this produces.
 */
export interface SoftwareAuthenticatorOptions {
  /** The web origin the "browser" puts in client data (default: the test graph's PUBLIC_BASE_URL). */
  origin?: string;
  /** The RP id the authenticator hashes into authenticator data (default: the relying party's id from the options). */
  rpId?: string;
}

interface StoredCredential {
  id: Buffer;
  privateKey: KeyObject;
  userHandle: string;
  rpId: string;
  signCount: number;
}

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_BACKUP_ELIGIBLE = 0x08;
const FLAG_BACKED_UP = 0x10;
const FLAG_ATTESTED_CREDENTIAL = 0x40;
const COSE_ES256 = -7;

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, COSE_ES256], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]),
  );
}

function counter(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

export class SoftwareAuthenticator {
  readonly credentials: StoredCredential[] = [];

  constructor(private readonly defaults: { origin: string }) {}

  /** `navigator.credentials.create()`: answers `PublicKeyCredentialCreationOptionsJSON` with a `RegistrationResponseJSON`. */
  register(options: Record<string, unknown>, overrides: SoftwareAuthenticatorOptions = {}): Record<string, unknown> {
    const rp = options.rp as { id: string };
    const user = options.user as { id: string };
    const rpId = overrides.rpId ?? rp.id;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = randomBytes(32);
    const credential: StoredCredential = { id, privateKey, userHandle: user.id, rpId, signCount: 0 };
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: overrides.origin ?? this.defaults.origin, crossOrigin: false }),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authenticatorData = Buffer.concat([
      sha256(rpId),
      Buffer.from([FLAG_USER_PRESENT | FLAG_USER_VERIFIED | FLAG_BACKUP_ELIGIBLE | FLAG_BACKED_UP | FLAG_ATTESTED_CREDENTIAL]),
      counter(0),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      id,
      coseKey(publicKey),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authenticatorData)],
      ]) as never,
    );
    this.credentials.push(credential);
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** `navigator.credentials.get()`: signs `PublicKeyCredentialRequestOptionsJSON` with a stored credential (the newest by default). */
  authenticate(options: Record<string, unknown>, overrides: SoftwareAuthenticatorOptions & { credential?: StoredCredential; userVerified?: boolean } = {}): Record<string, unknown> {
    const credential = overrides.credential ?? this.credentials.at(-1);
    if (!credential) throw new Error('the authenticator has no credential');
    credential.signCount += 1;
    const rpId = overrides.rpId ?? (options.rpId as string | undefined) ?? credential.rpId;
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: overrides.origin ?? this.defaults.origin, crossOrigin: false }),
    );
    const flags = FLAG_USER_PRESENT | (overrides.userVerified === false ? 0 : FLAG_USER_VERIFIED) | FLAG_BACKUP_ELIGIBLE | FLAG_BACKED_UP;
    const authenticatorData = Buffer.concat([sha256(rpId), Buffer.from([flags]), counter(credential.signCount)]);
    // ECDSA over authenticatorData ‖ SHA-256(clientDataJSON), DER-encoded as WebAuthn expects.
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
