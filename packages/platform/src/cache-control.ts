import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { isCompositeType, isInterfaceType, isObjectType, type ConstDirectiveNode, type GraphQLSchema } from 'graphql';

const hinted = (node: { readonly directives?: ReadonlyArray<ConstDirectiveNode> } | null | undefined) =>
  !!node?.directives?.some((directive) => directive.name.value === 'cacheControl');

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

/**
 * A subgraph's cache policy, sent to the router as its `Cache-Control` header: Apollo Server's
 * cache-control plugin, from the `@cacheControl` hints of the subgraph's SDL (common.graphql declares
 * the directive). It hooks every resolved field, so a subgraph without any hint goes without it: its
 * answers carry no `Cache-Control`, which the gateway takes as uncacheable, as the plugin would say.
 */
export function subgraphCacheControl<TContext extends BaseContext>(schema: GraphQLSchema): ApolloServerPlugin<TContext> {
  return usesCacheHints(schema) ? ApolloServerPluginCacheControl({ calculateHttpHeaders: true }) : ApolloServerPluginCacheControlDisabled();
}
