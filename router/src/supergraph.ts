import { Kind, parse, print, visit } from 'graphql';

/**
 * `@apollo/gateway` refuses a supergraph that links features `for: SECURITY` (`@authenticated`,
 * `@requiresScopes`, `@policy`), because it cannot enforce them. Meridian enforces them in every
 * subgraph, so the router drops the `for: SECURITY` marker and lets the gateway plan queries as usual.
 */
export function withoutSecurityPurpose(supergraphSdl: string): string {
  const document = visit(parse(supergraphSdl), {
    Directive(node) {
      if (node.name.value !== 'link') return undefined;
      const arguments_ = node.arguments?.filter(
        (argument) => !(argument.name.value === 'for' && argument.value.kind === Kind.ENUM && argument.value.value === 'SECURITY'),
      );
      return arguments_?.length === node.arguments?.length ? undefined : { ...node, arguments: arguments_ };
    },
  });
  return print(document);
}
