import {
  defaultFieldResolver,
  isIntrospectionType,
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLSchema,
} from 'graphql';
import { forbiddenError, unauthenticatedError } from './errors.js';
import type { Viewer } from './viewer.js';

/**
 * What a field needs, read from the SDL: `@authenticated`, or `@requiresScopes(scopes: [[...]])`
 * (any one inner list must be fully held, as in the Federation spec). Scopes are Meridian roles.
 */
export interface FieldRequirement {
  authenticated: boolean;
  scopes: string[][] | null;
}

function readRequirement(directives: readonly ConstDirectiveNode[]): FieldRequirement {
  let authenticated = false;
  let scopes: string[][] | null = null;
  for (const directive of directives) {
    if (directive.name.value === 'authenticated') authenticated = true;
    if (directive.name.value === 'requiresScopes') {
      const argument = directive.arguments?.find((arg) => arg.name.value === 'scopes');
      scopes = argument ? (valueFromASTUntyped(argument.value) as string[][]) : [];
    }
  }
  return { authenticated: authenticated || scopes !== null, scopes };
}

export function isAllowed(requirement: FieldRequirement, viewer: Viewer | null): 'ok' | 'unauthenticated' | 'forbidden' {
  if (!requirement.authenticated) return 'ok';
  if (viewer === null) return 'unauthenticated';
  if (requirement.scopes === null) return 'ok';
  return requirement.scopes.some((all) => all.every((scope) => viewer.roles.includes(scope))) ? 'ok' : 'forbidden';
}

/**
 * Wraps every resolver whose field (or type) declares a requirement. This is the one place where
 * declared permissions are enforced: the Node gateway does not enforce these directives itself.
 */
export function enforceAuthorizationDirectives(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const typeDirectives = [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []);
    for (const field of Object.values(type.getFields())) {
      const requirement = readRequirement([...typeDirectives, ...(field.astNode?.directives ?? [])]);
      if (!requirement.authenticated) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: { viewer: Viewer | null }, info) => {
        const verdict = isAllowed(requirement, context.viewer);
        if (verdict === 'unauthenticated') throw unauthenticatedError();
        if (verdict === 'forbidden') throw forbiddenError();
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
