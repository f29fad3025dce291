import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PERSISTED_QUERY_MANIFEST_FILE, loadPersistedQueryManifest } from './persisted-query-manifest.js';
import { generateManifestFromOperations, serializeManifest } from './persisted-query-manifest.generator.js';

describe('the committed persisted query manifest', () => {
  it('is what Apollo’s generator makes of schema/operations (run `pnpm codegen` if not)', async () => {
    const generated = serializeManifest(await generateManifestFromOperations());
    expect(await readFile(PERSISTED_QUERY_MANIFEST_FILE, 'utf8')).toBe(generated);
  });

  it('names every operation once, by the SHA-256 of its body', async () => {
    const { operations } = await loadPersistedQueryManifest();
    expect(operations.length).toBeGreaterThan(5);
    expect(new Set(operations.map((operation) => operation.name)).size).toBe(operations.length);
    for (const { id, body } of operations) expect(id).toBe(createHash('sha256').update(body).digest('hex'));
  });
});
