// `pnpm fx:import FILE [--graph URL --token ACCESS_TOKEN]`: imports an ECB euro reference rate file
// (eurofxref-daily.xml, -hist-90d.xml, -hist.xml). With --graph it sends the file to a running graph
// (the admin mutation importExchangeRates, as its persisted operation); otherwise it writes to the
// database of DATABASE_URL, or to the embedded one under DATA_DIR when `pnpm start` is not running.
// Importing a file twice stores nothing new.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPool, DataDirectoryInUseError, migrateDatabase, startEmbeddedPostgres, type EmbeddedPostgres } from '@meridian/db';
import { createLocalizationUseCases, parseEcbReferenceRates, type ImportReport } from '@meridian/localization';
import { readCommonConfig } from '@meridian/platform';
import { loadPersistedQueryManifest } from '@meridian/schema';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { graph: { type: 'string' }, token: { type: 'string' } } });
const [file] = positionals;
if (!file || (values.graph !== undefined && !values.token)) {
  console.error('usage: pnpm fx:import FILE [--graph http://localhost:4000/graphql --token <an admin access token>]');
  process.exit(2);
}

let document: string;
try {
  document = await readFile(file, 'utf8');
  parseEcbReferenceRates(document);
} catch (error) {
  console.error(`cannot import ${file}: ${(error as Error).message}`);
  process.exit(1);
}

const report = values.graph ? await throughGraph(values.graph, values.token!, document) : await intoDatabase(document);
console.log(`imported ${file}: ${report.inserted} new rates for ${report.days.join(', ')}${report.skipped.length ? `; skipped ${report.skipped.join(', ')} (no ISO 4217 currency any more)` : ''}`);

async function throughGraph(url: string, token: string, xml: string): Promise<ImportReport> {
  const operation = (await loadPersistedQueryManifest()).operations.find((candidate) => candidate.name === 'ImportExchangeRates');
  if (!operation) throw new Error('ImportExchangeRates is not in schema/persisted-query-manifest.json');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ variables: { document: xml }, extensions: { persistedQuery: { version: 1, sha256Hash: operation.id } } }),
  });
  const answer = (await response.json().catch(() => ({}))) as { data?: { importExchangeRates?: ImportReport & { __typename: string; message?: string } }; errors?: { message: string }[] };
  const result = answer.data?.importExchangeRates;
  if (result?.__typename !== 'ExchangeRatesImported') {
    console.error(`the graph refused the file (${response.status}): ${result?.message ?? answer.errors?.map((error) => error.message).join('; ') ?? 'no answer'}`);
    process.exit(1);
  }
  return result;
}

async function intoDatabase(xml: string): Promise<ImportReport> {
  let embedded: EmbeddedPostgres | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    try {
      embedded = await startEmbeddedPostgres({ dataDir: path.join(readCommonConfig().dataDir, 'pglite') });
    } catch (error) {
      if (!(error instanceof DataDirectoryInUseError)) throw error;
      console.error(`${error.message}.\nWhile it runs, send the file to it: pnpm fx:import ${file} --graph http://localhost:4000/graphql --token <an admin access token>`);
      process.exit(1);
    }
    url = embedded.url;
  }
  try {
    await migrateDatabase(url);
    const sql = createPool(url, { max: 1, applicationName: 'meridian-fx-import' });
    try {
      return await createLocalizationUseCases(sql).rates.importEcb(xml);
    } finally {
      await sql.end();
    }
  } finally {
    await embedded?.stop();
  }
}
