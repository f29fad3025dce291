import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ValidationRule } from 'graphql';

/** Static limits on every operation, checked before execution (OWASP GraphQL cheat sheet). */
export interface QueryLimits {
  depth: number;
  aliases: number;
  cost: number;
  tokens: number;
  directives: number;
}

/**
 * graphql-armor with its limits hidden from the error messages (a probe learns that a query was too
 * big, not where the line is), and field suggestions ("Did you mean…") blocked in production.
 */
export function queryProtection<TContext extends BaseContext>(
  limits: QueryLimits,
  production: boolean,
): { plugins: ApolloServerPlugin<TContext>[]; validationRules: ValidationRule[]; parseOptions: { maxTokens: number } } {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: limits.depth, exposeLimits: false, flattenFragments: true, ignoreIntrospection: !production },
    maxAliases: { n: limits.aliases, exposeLimits: false },
    costLimit: { maxCost: limits.cost, exposeLimits: false, ignoreIntrospection: !production },
    // The token limit is graphql-js's own parse option (below): armor's plugin throws inside Apollo's
    // parsing hook, which Apollo answers with a 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.directives, exposeLimits: false },
    blockFieldSuggestion: { enabled: production },
  }).protect();
  return { plugins: plugins as ApolloServerPlugin<TContext>[], validationRules, parseOptions: { maxTokens: limits.tokens } };
}

/** Subgraphs see the router's query plans: `_entities` wrappers and fragments make them somewhat bigger than the client's query. */
export function subgraphLimits(limits: QueryLimits): QueryLimits {
  return { depth: limits.depth + 2, aliases: limits.aliases * 2, cost: limits.cost * 2, tokens: limits.tokens * 4, directives: limits.directives * 2 };
}
