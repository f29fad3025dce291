import { openPayload, sealPayload } from '../outbox/outbox.crypto.js';

// The outbox's AES-256-GCM sealing, under a key of its own (secrets.ts): TOTP secrets are never stored in the clear.
export const sealSecret = (key: Buffer, secret: string): string => sealPayload(key, secret);
export const openSecret = (key: Buffer, sealed: string): string => openPayload<string>(key, sealed);
