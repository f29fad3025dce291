import { readFile } from 'node:fs/promises';
import { SUPERGRAPH_FILE } from './compose.js';

export { SUBGRAPHS } from './subgraphs.js';
export { API_SCHEMA_FILE, apiSchemaOf, apiSchemaSdl, loadApiSchemaSdl } from './api-schema.js';
export { SUPERGRAPH_FILE, composeSupergraph } from './compose.js';

export function loadSupergraphSdl(): Promise<string> {
  return readFile(SUPERGRAPH_FILE, 'utf8');
}
export { loadOperationsDocument, loadServiceOperationsDocument, operationText } from './operations.js';
export { PERSISTED_QUERY_MANIFEST_FILE, loadPersistedQueryManifest, type PersistedQueryManifest, type PersistedQueryManifestOperation } from './persisted-query-manifest.js';
