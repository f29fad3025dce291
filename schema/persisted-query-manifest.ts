import { readFile } from 'node:fs/promises';

/** schema/persisted-query-manifest.json: generated from schema/operations by `pnpm codegen`, committed. */
export const PERSISTED_QUERY_MANIFEST_FILE = new URL('./persisted-query-manifest.json', import.meta.url);

/** One operation of Apollo's persisted query list format (https://www.apollographql.com/docs/graphos/platform/security/persisted-queries). */
export interface PersistedQueryManifestOperation {
  /** The SHA-256 of `body`, in hex: what a client sends as `extensions.persistedQuery.sha256Hash`. */
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  /** The operation and the fragments it uses, exactly as Apollo Client sends it. */
  body: string;
}

export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: PersistedQueryManifestOperation[];
}

export async function loadPersistedQueryManifest(file: URL = PERSISTED_QUERY_MANIFEST_FILE): Promise<PersistedQueryManifest> {
  const manifest = JSON.parse(await readFile(file, 'utf8')) as PersistedQueryManifest;
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1 || !Array.isArray(manifest.operations)) {
    throw new Error(`${file.pathname} is not an Apollo persisted query manifest (version 1)`);
  }
  return manifest;
}
