import { parse, validate } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, loadOperationsDocument, loadServiceOperationsDocument, loadSupergraphSdl, operationText } from './supergraph.js';

describe('the committed supergraph', () => {
  it('composes without errors or hints, and matches schema/supergraph.graphql (run `pnpm compose` if not)', async () => {
    const composition = await composeSupergraph();
    expect(composition.ok ? [] : composition.errors).toEqual([]);
    if (!composition.ok) return;
    expect(composition.hints.map((hint) => `${hint.definition.code}: ${hint.message}`)).toEqual([]);
    const committed = (await loadSupergraphSdl()).replace(/^#.*\n/, '');
    expect(committed).toBe(composition.supergraphSdl);
  });

  it.each([
    ['client operation in schema/operations', loadOperationsDocument],
    ['service operation in schema/service-operations', loadServiceOperationsDocument],
  ])('validates every %s against the API schema', async (_what, load) => {
    // supportedFeatures: null accepts the SECURITY-purpose links (@authenticated) the subgraphs enforce.
    const supergraph = Supergraph.build(await loadSupergraphSdl(), { supportedFeatures: null });
    const apiSchema = supergraph.apiSchema().toGraphQLJSSchema();
    const document = load();
    const names = document.definitions.flatMap((definition) => (definition.kind === 'OperationDefinition' && definition.name ? [definition.name.value] : []));
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) {
      expect({ name, errors: validate(apiSchema, parse(operationText(document, name))).map((error) => error.message) }).toEqual({ name, errors: [] });
    }
  });
});
