import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromGraphQLCodegenPersistedDocuments, generatePersistedQueryManifest } from '@apollo/generate-persisted-query-manifest';
import { Kind, type DocumentNode } from 'graphql';
import { loadOperationsDocument, loadServiceOperationsDocument, operationText } from './operations.js';
import type { PersistedQueryManifest } from './persisted-query-manifest.js';

/**
 * The persisted query list of every operation in schema/operations and schema/service-operations (those
 * the services send through the router themselves), made by Apollo's own generator,
 * which runs each operation through an Apollo Client (4) with the transforms a client applies
 * (`__typename` added, fragments inlined from the registry, definitions sorted), so the ids are the
 * ones `@apollo/persisted-query-lists` sends.
 *
 * The generator reads one operation per document, while schema/operations groups several per file;
 * each operation is handed to it as a separate document (with the fragments it uses) in GraphQL
 * Codegen's persisted-documents format, the generator's other documented input.
 */
export async function generateManifestFromOperations(): Promise<PersistedQueryManifest> {
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [...loadOperationsDocument().definitions, ...loadServiceOperationsDocument().definitions] };
  const documents: Record<string, string> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) {
      documents[definition.name.value] = operationText(document, definition.name.value);
    }
  }
  const directory = await mkdtemp(path.join(tmpdir(), 'meridian-operations-'));
  try {
    const file = path.join(directory, 'persisted-documents.json');
    await writeFile(file, JSON.stringify(documents));
    return (await generatePersistedQueryManifest({ documents: fromGraphQLCodegenPersistedDocuments(file) }, undefined)) as PersistedQueryManifest;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** The manifest as written to schema/persisted-query-manifest.json. */
export function serializeManifest(manifest: PersistedQueryManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
