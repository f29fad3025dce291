import { readFileSync, readdirSync } from 'node:fs';
import { Kind, parse, print, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode } from 'graphql';

const OPERATIONS_DIR = new URL('./operations/', import.meta.url);
const SERVICE_OPERATIONS_DIR = new URL('./service-operations/', import.meta.url);

function loadDocument(directory: URL): DocumentNode {
  const files = readdirSync(directory).filter((file) => file.endsWith('.graphql'));
  const definitions = files.flatMap((file) => parse(readFileSync(new URL(file, directory), 'utf8')).definitions);
  return { kind: Kind.DOCUMENT, definitions };
}

/** Every client operation and fragment in schema/operations, parsed once. */
export function loadOperationsDocument(): DocumentNode {
  return loadDocument(OPERATIONS_DIR);
}

/**
 * The operations the services send through the router themselves (schema/service-operations): in the
 * persisted query list with the client operations, but not in @meridian/client.
 */
export function loadServiceOperationsDocument(): DocumentNode {
  return loadDocument(SERVICE_OPERATIONS_DIR);
}

/** The text of one named operation with exactly the fragments it uses, ready to send. */
export function operationText(document: DocumentNode, name: string): string {
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name);
  if (!operation) throw new Error(`no operation named ${name} in schema/operations`);
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          collect(fragment);
        }
      },
    });
  collect(operation);
  return [operation, ...used.values()].map((definition) => print(definition)).join('\n\n');
}
