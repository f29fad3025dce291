import { readFile } from 'node:fs/promises';
import { SUPERGRAPH_FILE } from './compose.js';

export { SUBGRAPHS } from './subgraphs.js';
export { SUPERGRAPH_FILE, composeSupergraph } from './compose.js';

export function loadSupergraphSdl(): Promise<string> {
  return readFile(SUPERGRAPH_FILE, 'utf8');
}
export { loadOperationsDocument, operationText } from './operations.js';
