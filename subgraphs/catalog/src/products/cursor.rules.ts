import { badUserInputError, isUuid } from '@meridian/platform';
import type { Keyset } from './products.repository.js';

/** An opaque cursor: the product's sort key and id, so paging continues right after it in any order. */
export const cursorOf = (keyset: Keyset): string => Buffer.from(JSON.stringify([keyset.key, keyset.id])).toString('base64url');

export function keysetOf(cursor: string, argument: 'after' | 'before'): Keyset {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && isUuid(parsed[1])) {
      return { key: parsed[0], id: parsed[1] };
    }
  } catch {
    // Not JSON: answered below like any other foreign string.
  }
  throw badUserInputError(`${argument} is not a cursor of this connection`);
}
