import { createHash } from 'node:crypto';
import type { FieldViolation } from './validation.js';

/**
 * Idempotency keys of creating mutations (`addAddress`, and every later create: cart lines, orders,
 * payments): the client picks a key per attempt and sends it again when it retries after a lost
 * answer; the service answers the first result instead of creating twice. Each service keeps its keys
 * in its own schema; these are the shared rules.
 */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;

/** How long a key is remembered: a client retries within minutes; a day covers a device that was offline. */
export const IDEMPOTENCY_KEY_RETENTION_HOURS = 24;

const PRINTABLE = /^[\x21-\x7e]+$/;

/** A field error for a key that is not 1–200 printable ASCII characters, or null when it is fine. */
export function checkIdempotencyKey(key: string, field = 'idempotencyKey'): FieldViolation | null {
  if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH || !PRINTABLE.test(key)) {
    return { field, code: 'INVALID_FORMAT', message: `1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters, e.g. a UUID` };
  }
  return null;
}

/** What a retry must repeat exactly: a hash of the request's (normalized) input, key order aside. */
export function requestFingerprint(input: unknown): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, inner]) => [key, canonical(inner)]))
        : value;
  return createHash('sha256').update(JSON.stringify(canonical(input))).digest('base64url');
}

/** The key was used before for a different request: nothing was created. */
export const idempotencyKeyReused = () =>
  ({
    __typename: 'IdempotencyKeyReused',
    code: 'IDEMPOTENCY_KEY_REUSED',
    message: 'This idempotency key was already used for a different request; use a new key for a new request',
  }) as const;
