// `pnpm codegen` writes schema/persisted-query-manifest.json; `pnpm codegen:check` (`--check`) fails if it is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { PERSISTED_QUERY_MANIFEST_FILE } from './persisted-query-manifest.js';
import { generateManifestFromOperations, serializeManifest } from './persisted-query-manifest.generator.js';

const generated = serializeManifest(await generateManifestFromOperations());
if (process.argv.includes('--check')) {
  const committed = await readFile(PERSISTED_QUERY_MANIFEST_FILE, 'utf8').catch(() => '');
  if (committed !== generated) {
    console.error(`${PERSISTED_QUERY_MANIFEST_FILE.pathname} is stale: run \`pnpm codegen\``);
    process.exit(1);
  }
} else {
  await writeFile(PERSISTED_QUERY_MANIFEST_FILE, generated);
  console.log(`wrote ${PERSISTED_QUERY_MANIFEST_FILE.pathname}`);
}
