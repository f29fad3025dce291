import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readSubgraphSdl } from '@meridian/platform';
import { SUBGRAPHS } from './subgraphs.js';

export const SUPERGRAPH_FILE = new URL('./supergraph.graphql', import.meta.url);

// Composition hints that may be accepted on purpose, by code; none is today, so any hint fails the test.
const ACCEPTED_HINTS = new Set<string>([]);

type CompositionHint = { definition: { code: string }; message: string };

export type Composition = { ok: true; supergraphSdl: string; hints: CompositionHint[] } | { ok: false; errors: string[] };

export async function composeSupergraph(): Promise<Composition> {
  const services = await Promise.all(
    SUBGRAPHS.map(async ({ name, url, schemaFile }) => ({ name, url, typeDefs: parse(await readSubgraphSdl(schemaFile)) })),
  );
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map((error) => error.message) };
  return {
    ok: true,
    supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`,
    hints: result.hints.filter((hint) => !ACCEPTED_HINTS.has(hint.definition.code)),
  };
}
