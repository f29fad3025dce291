import { createHash } from 'node:crypto';
import { InMemoryLRUCache, PrefixingKeyValueCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { graphqlErrorReply, type HttpReply } from '@meridian/platform';
import type { PersistedQueryManifest } from '@meridian/schema';

/**
 * - `safelist`: only the operations of the persisted query list, sent by id or as their exact body.
 * - `apq`: the list's operations by id, plus any other operation, which a client may also register
 *   by hash (automatic persisted queries).
 * - `off`: any operation, as text only.
 */
export const PERSISTED_QUERIES_MODES = ['safelist', 'apq', 'off'] as const;
export type PersistedQueriesMode = (typeof PERSISTED_QUERIES_MODES)[number];

export interface PersistedQueries {
  /** Apollo Server's `persistedQueries` option: it registers APQ operations (once valid) into this store. */
  apolloOption: false | { cache: KeyValueCache<string> };
  /**
   * Resolves the persisted query of one HTTP request before Apollo Server reads it: the body (POST)
   * or query string (GET) with the operation's text filled in, or the answer that refuses it.
   */
  prepare(method: string, body: unknown, search: string): Promise<{ body: unknown; search: string } | { refused: HttpReply }>;
}

type Resolution = { kind: 'as-sent' } | { kind: 'resolved'; query: string } | { kind: 'refused'; reply: HttpReply };

const SHA256_HEX = /^[0-9a-f]{64}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const refuse = (status: number, code: string, message: string): Resolution => ({ kind: 'refused', reply: graphqlErrorReply(status, code, message) });

function jsonParameter(value: string | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    // Apollo Server answers a malformed parameter itself.
    return undefined;
  }
}

/**
 * Persisted queries in front of Apollo Server. Its own APQ handling answers an unknown hash with a 200,
 * a hash that does not match the query and an unsupported version with errors that carry no code,
 * and it knows no list; so every persisted query is resolved here, from the manifest and the APQ
 * store, and refused with a 4xx and a code that says why (Apollo Router's codes, and its 404 for an
 * unknown hash, which Apollo Client's link also takes as "send the text"). Apollo Server then sees the
 * operation's text with its hash, and registers a new APQ operation only once it parses and validates.
 */
export function createPersistedQueries(mode: PersistedQueriesMode, manifest: PersistedQueryManifest): PersistedQueries {
  const listed = new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
  const listedBodies = new Set(listed.values());
  // Apollo Server's own default store for APQ: an LRU cache of about 30 MiB.
  const registered = mode === 'apq' ? new InMemoryLRUCache<string>() : undefined;
  // Keyed by hash alone: the store holds nothing but persisted queries, so Apollo Server need not prefix its keys.
  const store: KeyValueCache<string> = PrefixingKeyValueCache.cacheDangerouslyDoesNotNeedPrefixesForIsolation({
    get: async (id) => listed.get(id) ?? registered?.get(id),
    set: async (id, query, options) => {
      if (registered && !listed.has(id)) await registered.set(id, query, options);
    },
    delete: async (id) => registered?.delete(id),
  });

  async function resolve(query: unknown, extensions: unknown): Promise<Resolution> {
    const persisted = isRecord(extensions) ? extensions.persistedQuery : undefined;
    // Apollo Server ignores a falsy `persistedQuery` too.
    if (!persisted) {
      if (mode === 'safelist' && typeof query === 'string' && query !== '' && !listedBodies.has(query)) {
        return refuse(400, 'PERSISTED_QUERY_NOT_IN_LIST', 'This server runs only the operations of its persisted query list, and this one is not in it');
      }
      return { kind: 'as-sent' };
    }
    if (mode === 'off') {
      return refuse(400, 'PERSISTED_QUERY_NOT_SUPPORTED', 'This server does not take persisted queries: send the operation itself in `query`');
    }
    if (!isRecord(persisted) || persisted.version !== 1) {
      return refuse(400, 'BAD_REQUEST', '`extensions.persistedQuery` must be {"version": 1, "sha256Hash": "<hash>"}: only version 1 is supported');
    }
    const hash = persisted.sha256Hash;
    if (typeof hash !== 'string' || !SHA256_HEX.test(hash)) {
      return refuse(400, 'BAD_REQUEST', '`extensions.persistedQuery.sha256Hash` must be the SHA-256 hash of the operation, as 64 lower-case hex digits');
    }
    if (query !== undefined) {
      // Not a string: Apollo Server refuses it.
      if (typeof query !== 'string') return { kind: 'as-sent' };
      const actual = sha256(query);
      if (actual !== hash) {
        return refuse(400, 'PERSISTED_QUERY_HASH_MISMATCH', `The SHA-256 hash of \`query\` is ${actual}, not the \`sha256Hash\` sent (${hash})`);
      }
      if (mode === 'safelist' && !listed.has(hash)) {
        return refuse(400, 'PERSISTED_QUERY_NOT_IN_LIST', 'This server runs only the operations of its persisted query list, and this one is not in it');
      }
      return { kind: 'as-sent' };
    }
    const found = await store.get(hash);
    if (found !== undefined) return { kind: 'resolved', query: found };
    return mode === 'safelist'
      ? refuse(400, 'PERSISTED_QUERY_NOT_IN_LIST', `No operation with id ${hash} is in the persisted query list`)
      : refuse(404, 'PERSISTED_QUERY_NOT_FOUND', `No operation is registered under ${hash}: send it again with its \`query\` to register it`);
  }

  return {
    apolloOption: mode === 'off' ? false : { cache: store },
    async prepare(method, body, search) {
      if (method === 'GET') {
        const parameters = new URLSearchParams(search);
        const resolution = await resolve(parameters.get('query') ?? undefined, jsonParameter(parameters.get('extensions')));
        if (resolution.kind === 'refused') return { refused: resolution.reply };
        if (resolution.kind === 'resolved') parameters.set('query', resolution.query);
        return { body, search: resolution.kind === 'resolved' ? `?${parameters}` : search };
      }
      // Anything but a JSON object (a batch, another content type) is Apollo Server's to refuse.
      if (!isRecord(body)) return { body, search };
      const resolution = await resolve(body.query, body.extensions);
      if (resolution.kind === 'refused') return { refused: resolution.reply };
      return { body: resolution.kind === 'resolved' ? { ...body, query: resolution.query } : body, search };
    },
  };
}
