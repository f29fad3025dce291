import { readFileSync } from 'node:fs';
import { LocalGraphQLDataSource } from '@apollo/gateway';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, Kind, parse, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { SHARED_SDL_FILES, nodeTypeOf, type NodeTypeName } from '@meridian/platform';

/** The subgraph's name in schema/subgraphs.ts; the router serves it in process instead of dialing its URL. */
export const NODE_SUBGRAPH = 'node';

export const NODE_SCHEMA_FILE = new URL('../node.graphql', import.meta.url);

/** Ids one `nodes` call may ask for. */
export const MAX_NODE_IDS = 100;

interface NodeReference {
  __typename: NodeTypeName;
  id: string;
}

/** `{ __typename, id }` from the type code in the id, or null for a malformed id or an unknown code. */
function reference(id: string): NodeReference | null {
  const type = nodeTypeOf(id);
  // Lower case, as every service stores and returns ids, so a client's cache sees one id per object.
  return type ? { __typename: type, id: id.toLowerCase() } : null;
}

/**
 * The `node` subgraph (router/node.graphql), executed in the router's process. It never reads data:
 * it names the type, and the planner fetches every other field from the service that owns the type,
 * whose reference resolver applies its authorization (another user's object resolves to null there).
 */
export function createNodeDataSource(): LocalGraphQLDataSource {
  const schema = buildSubgraphSchema({
    // With the SDL every subgraph shares, so that operation directives (`@inContext`) compose.
    typeDefs: parse([NODE_SCHEMA_FILE, ...SHARED_SDL_FILES].map((file) => readFileSync(file, 'utf8')).join('\n')),
    resolvers: {
      Query: {
        node: (_parent: unknown, { id }: { id: string }) => reference(id),
        nodes: (_parent: unknown, { ids }: { ids: string[] }) => {
          if (ids.length > MAX_NODE_IDS) {
            throw new GraphQLError(`nodes takes at most ${MAX_NODE_IDS} ids`, { extensions: { code: 'BAD_USER_INPUT' } });
          }
          return ids.map(reference);
        },
      },
      Node: {
        __resolveReference: ({ id }: { id: string }) => reference(id),
        __resolveType: ({ __typename }: NodeReference) => __typename,
      },
    },
  });
  return new LocalGraphQLDataSource(schema);
}

type Gateway = ApolloServerOptionsWithGateway<never>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
type ExecutionResult = Awaited<ReturnType<Executor>>;
type RequestContext = Parameters<Executor>[0];

/** The response keys of the operation's root `node` and `nodes` fields (aliases, fragments included). */
function nodeResponseKeys(context: RequestContext): Map<string, 'node' | 'nodes'> {
  const keys = new Map<string, 'node' | 'nodes'>();
  if (context.operation.operation !== 'query') return keys;
  const fragments = new Map(
    context.document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === 'node' || name === 'nodes') keys.set(selection.alias?.value ?? name, name);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(context.operation.selectionSet);
  return keys;
}

/**
 * Whether a value-completion error (@apollo/gateway's "Cannot return null for non-nullable field",
 * which it reports in `extensions.valueCompletion` when no subgraph reported an error) lies below a
 * `node`/`nodes` entry that came back null. The gateway raises it when the owning service resolves a
 * reference to null (an unknown object, or one the viewer may not read): it merges nothing into the
 * `{ __typename, id }` the node subgraph gave, the selected non-null fields are missing, and the null
 * bubbles up to the entry.
 */
function isNullNodeCompletion(error: unknown, data: Record<string, unknown>, keys: Map<string, 'node' | 'nodes'>): boolean {
  // Read by shape: the gateway loads graphql's CommonJS build, this module may see the ES one, so `instanceof` cannot tell.
  const { extensions, path } = error as Partial<Pick<GraphQLError, 'extensions' | 'path'>>;
  if (extensions?.code !== 'INVALID_GRAPHQL') return false;
  const [key, index] = path ?? [];
  const field = typeof key === 'string' ? keys.get(key) : undefined;
  const depth = path?.length ?? 0;
  if (field === 'node') return data[key as string] === null && depth > 1;
  if (field === 'nodes') {
    const list = data[key as string];
    return Array.isArray(list) && typeof index === 'number' && list[index] === null && depth > 2;
  }
  return false;
}

function withoutNullNodeCompletions(result: ExecutionResult, context: RequestContext): ExecutionResult {
  const completions = result.extensions?.valueCompletion;
  if (!Array.isArray(completions) || !result.data) return result;
  const keys = nodeResponseKeys(context);
  if (keys.size === 0) return result;
  const data = result.data;
  const kept = completions.filter((error) => !isNullNodeCompletion(error, data, keys));
  if (kept.length === completions.length) return result;
  const { valueCompletion: _dropped, ...others } = result.extensions ?? {};
  const extensions = kept.length > 0 ? { ...others, valueCompletion: kept } : others;
  const { extensions: _replaced, ...rest } = result;
  return Object.keys(extensions).length > 0 ? { ...rest, extensions } : rest;
}

/**
 * The gateway, with `node` and `nodes` answering null, and nothing else, for an object the viewer
 * cannot read, exactly as for an unknown id; every error and every other completion error is kept.
 * Without this, @apollo/gateway answers another user's address (and a well-formed id of nothing)
 * with `extensions.valueCompletion` naming a missing field, and a malformed id without it.
 */
export function withNodeSemantics(gateway: Gateway): Gateway {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(options) {
      const loaded = await gateway.load(options);
      const executor = loaded.executor;
      if (!executor) return loaded;
      return { ...loaded, executor: async (context) => withoutNullNodeCompletions(await executor(context), context) };
    },
  };
}
