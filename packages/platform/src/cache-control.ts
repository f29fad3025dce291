import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextExecutionDidStart } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  type ConstDirectiveNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

type Directed = { readonly directives?: ReadonlyArray<ConstDirectiveNode> } | null | undefined;

const hinted = (node: Directed) => !!node?.directives?.some((directive) => directive.name.value === 'cacheControl');

/** Whether any type or field of the schema carries a `@cacheControl` hint. */
export function usesCacheHints(schema: GraphQLSchema): boolean {
  return Object.values(schema.getTypeMap()).some(
    (type) =>
      isCompositeType(type) &&
      (hinted(type.astNode) ||
        type.extensionASTNodes.some(hinted) ||
        ((isObjectType(type) || isInterfaceType(type)) && Object.values(type.getFields()).some((field) => hinted(field.astNode)))),
  );
}

interface CacheHint {
  maxAge?: number;
  inheritMaxAge?: boolean;
}

// Read as Apollo's cache-control plugin reads hints (the first @cacheControl of a node).
function hintOf(nodes: Directed[]): CacheHint {
  for (const node of nodes) {
    const directive = node?.directives?.find((candidate) => candidate.name.value === 'cacheControl');
    if (!directive?.arguments) continue;
    const argument = (name: string) => directive.arguments?.find((arg) => arg.name.value === name)?.value;
    const inherit = argument('inheritMaxAge');
    if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true };
    const maxAge = argument('maxAge');
    return maxAge?.kind === Kind.INT ? { maxAge: Number.parseInt(maxAge.value, 10) } : {};
  }
  return {};
}

const typeHint = (type: GraphQLCompositeType) => hintOf([type.astNode, ...type.extensionASTNodes]);

/**
 * Whether a root field's answer can be cacheable: it has a max-age from its own hint or its type's. Apollo's
 * plugin restricts a root field without one to max-age 0, and so the whole answer. `_entities` (@apollo/subgraph)
 * also takes the hint of each entity type it resolves, so it may be cacheable if any entity type has one.
 * Our resolvers give no dynamic hints (`info.cacheControl`), which this could not see.
 */
function rootFieldMayBeCacheable(field: GraphQLField<unknown, unknown>): boolean {
  const target = getNamedType(field.type);
  const fromType = isCompositeType(target) ? typeHint(target).maxAge : undefined;
  const fromField = hintOf([field.astNode]);
  const maxAge = fromField.inheritMaxAge || fromField.maxAge === undefined ? fromType : fromField.maxAge;
  if (maxAge !== undefined) return maxAge > 0;
  return field.name === '_entities' && isUnionType(target) && target.getTypes().some((entity) => (typeHint(entity).maxAge ?? 0) > 0);
}

/** False when an unconditional root field of the operation is surely uncacheable, so the answer is too. */
function mayBeCacheable(schema: GraphQLSchema, operation: OperationDefinitionNode | undefined): boolean {
  const root = operation && schema.getRootType(operation.operation);
  if (!root) return true;
  const fields = root.getFields();
  return operation.selectionSet.selections.every((selection) => {
    if (selection.kind !== Kind.FIELD || selection.directives?.length) return true;
    const field = fields[selection.name.value];
    return !field || rootFieldMayBeCacheable(field);
  });
}

/**
 * A subgraph's cache policy, sent to the router as its `Cache-Control` header: Apollo Server's
 * cache-control plugin, from the `@cacheControl` hints of the subgraph's SDL (common.graphql declares
 * the directive). A subgraph without any hint goes without it: its answers carry no `Cache-Control`,
 * which the gateway takes as uncacheable, as the plugin would say.
 *
 * The plugin hooks every resolved field (a policy object and closures per field: a quarter of the CPU
 * of `_entities` for 1000 users). So it runs only for operations that may be cacheable; any other
 * (mutations, `_entities` of types without hints, a query with an unhinted root field) is restricted to
 * max-age 0 at once and answered `no-store`, as the plugin would. It stands in for Apollo's plugin: it
 * carries the disabled plugin's id, so Apollo Server adds no default cache-control plugin of its own.
 */
export function subgraphCacheControl<TContext extends BaseContext>(schema: GraphQLSchema): ApolloServerPlugin<TContext> {
  if (!usesCacheHints(schema)) return ApolloServerPluginCacheControlDisabled();
  const plugin = ApolloServerPluginCacheControl({ calculateHttpHeaders: true }) as ApolloServerPlugin<TContext>;
  return {
    ...ApolloServerPluginCacheControlDisabled(),
    serverWillStart: plugin.serverWillStart!.bind(plugin),
    async requestDidStart(requestContext) {
      const hooks = await plugin.requestDidStart!(requestContext);
      return {
        ...hooks,
        async executionDidStart(executing: GraphQLRequestContextExecutionDidStart<TContext>) {
          if (mayBeCacheable(executing.schema, executing.operation)) return hooks?.executionDidStart?.(executing);
          executing.overallCachePolicy.restrict({ maxAge: 0 });
          return undefined;
        },
      };
    },
  };
}
