// `pnpm schema:check`: the freshly composed API schema against the last committed one (GraphQL
// Inspector); every breaking change must be announced, by its schema coordinate, in the newest
// section of schema/CHANGELOG.md.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { API_SCHEMA_FILE, apiSchemaSdl } from './api-schema.js';
import { composeSupergraph } from './compose.js';
import { breakingChanges, coordinatesOf, findBaseline, newestSection, unannounced } from './schema-check.js';

const CHANGELOG_FILE = new URL('./CHANGELOG.md', import.meta.url);
const repoDir = fileURLToPath(new URL('..', import.meta.url));

const composition = await composeSupergraph();
if (!composition.ok) {
  console.error(`schema:check: composition failed:\n- ${composition.errors.join('\n- ')}`);
  process.exit(1);
}
const current = apiSchemaSdl(composition.supergraphSdl);
const baseline = findBaseline(repoDir, await readFile(API_SCHEMA_FILE, 'utf8'));
if (!baseline) {
  // A repository without an earlier schema (a first commit, or a clone without that history) has nothing to break.
  console.warn('schema:check: no earlier API schema in the git history; nothing to compare with');
  process.exit(0);
}
const breaking = await breakingChanges(baseline.sdl, current);
const changelog = await readFile(CHANGELOG_FILE, 'utf8');
const missing = unannounced(breaking, changelog);
const heading = newestSection(changelog).split('\n')[0] ?? '(no section)';
if (missing.length > 0) {
  console.error(
    `schema:check: ${missing.length} of ${breaking.length} breaking change(s) against ${baseline.source} are not announced in the newest section of schema/CHANGELOG.md (${heading}):\n` +
      missing.map((change) => `- ${coordinatesOf(change)[0] ?? '(schema)'}: ${change.message}`).join('\n'),
  );
  process.exit(1);
}
console.log(`schema:check: ${breaking.length} breaking change(s) against ${baseline.source}, all announced in schema/CHANGELOG.md (${heading})`);
