import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readSubgraphSdl } from '@meridian/platform';
import { SUBGRAPHS } from './subgraphs.js';

export const SUPERGRAPH_FILE = new URL('./supergraph.graphql', import.meta.url);

type CompositionHint = { definition: { code: string }; message: string; coordinate?: string };

// Composition hints accepted on purpose, by code and schema coordinate; any other hint fails the test.
// `CacheControlScope` (common.graphql) types only the argument of `@cacheControl`, which composition
// does not count as a use.
const ACCEPTED_HINTS: { code: string; coordinate: string }[] = [{ code: 'UNUSED_ENUM_TYPE', coordinate: 'CacheControlScope' }];

const isAccepted = (hint: CompositionHint) =>
  ACCEPTED_HINTS.some((accepted) => accepted.code === hint.definition.code && accepted.coordinate === hint.coordinate);

export type Composition = { ok: true; supergraphSdl: string; hints: CompositionHint[] } | { ok: false; errors: string[] };

export async function composeSupergraph(): Promise<Composition> {
  const services = await Promise.all(
    SUBGRAPHS.map(async (subgraph) => ({
      name: subgraph.name,
      url: subgraph.url,
      typeDefs: parse(await readSubgraphSdl(subgraph.schemaFile)),
    })),
  );
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map((error) => error.message) };
  return {
    ok: true,
    supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`,
    hints: result.hints.filter((hint) => !isAccepted(hint)),
  };
}
