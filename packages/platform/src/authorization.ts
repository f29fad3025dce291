import {
  defaultFieldResolver,
  getNamedType,
  isUnionType,
  isIntrospectionType,
  isNonNullType,
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { forbiddenError, unauthenticatedError } from './errors.js';
import { isService, type Viewer } from './viewer.js';

/**
 * Who may read a field, as declared in the SDL on the field or its type (common.graphql):
 * `@public`, `@authenticated` (a signed-in user), `@requiresScopes(scopes: [[...]])` (one inner list
 * must be fully held; scopes are Meridian roles) or `@private(owner: "…")` (the owner and admins).
 * A service identity (a client-credentials token, service-identity.ts) is no user: it reaches `@public`
 * fields and the `@requiresScopes` fields its roles satisfy, and nothing `@authenticated` or `@private`.
 * `@requiresRecentAuth(maxAgeSeconds:)` (step-up) also needs a signed-in user, who proved who they are
 * (the token's `auth_time`) at most that long ago.
 */
export interface FieldRequirement {
  declared: boolean;
  authenticated: boolean;
  scopes: string[][] | null;
  /** The parent object's property holding the owner's user id, for `@private`. */
  owner: string | null;
  /** `@requiresRecentAuth`: how long ago, at most, the user signed in or re-authenticated. */
  recentAuthMaxAgeSeconds: number | null;
}

const ADMIN_ROLE = 'admin';

function directivesOf(type: GraphQLObjectType): readonly ConstDirectiveNode[] {
  return [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []);
}

function stringArgument(directive: ConstDirectiveNode, name: string): unknown {
  const argument = directive.arguments?.find((arg) => arg.name.value === name);
  return argument ? valueFromASTUntyped(argument.value) : undefined;
}

export function readRequirement(directives: readonly ConstDirectiveNode[]): FieldRequirement {
  const requirement: FieldRequirement = { declared: false, authenticated: false, scopes: null, owner: null, recentAuthMaxAgeSeconds: null };
  for (const directive of directives) {
    switch (directive.name.value) {
      case 'public':
        requirement.declared = true;
        break;
      case 'authenticated':
        Object.assign(requirement, { declared: true, authenticated: true });
        break;
      case 'requiresScopes':
        Object.assign(requirement, { declared: true, authenticated: true, scopes: (stringArgument(directive, 'scopes') as string[][]) ?? [] });
        break;
      case 'requiresRecentAuth':
        Object.assign(requirement, { declared: true, authenticated: true, recentAuthMaxAgeSeconds: Number(stringArgument(directive, 'maxAgeSeconds') ?? 0) });
        break;
      case 'private':
        Object.assign(requirement, { declared: true, owner: (stringArgument(directive, 'owner') as string | undefined) ?? 'id' });
        break;
    }
  }
  return requirement;
}

export type Verdict = 'ok' | 'unauthenticated' | 'forbidden' | 'hidden' | 'reauthenticate';

export function isAllowed(requirement: FieldRequirement, viewer: Viewer | null, parent?: unknown, nowSeconds = Date.now() / 1000): Verdict {
  if (requirement.owner !== null) {
    const owner = (parent as Record<string, unknown> | null | undefined)?.[requirement.owner];
    if (viewer === null || isService(viewer) || (viewer.userId !== owner && !viewer.roles.includes(ADMIN_ROLE))) return 'hidden';
  }
  if (!requirement.authenticated) return 'ok';
  if (viewer === null) return 'unauthenticated';
  if (requirement.recentAuthMaxAgeSeconds !== null) {
    if (isService(viewer)) return 'forbidden';
    // A token without `auth_time` (minted before step-up existed) counts as not recent.
    if (viewer.authTime === undefined || nowSeconds - viewer.authTime > requirement.recentAuthMaxAgeSeconds) return 'reauthenticate';
  }
  if (requirement.scopes === null) return isService(viewer) ? 'forbidden' : 'ok';
  return requirement.scopes.some((all) => all.every((scope) => viewer.roles.includes(scope))) ? 'ok' : 'forbidden';
}

export const REAUTHENTICATION_REQUIRED_TYPE = 'ReauthenticationRequired';

/** The typed answer of a step-up field to a sign-in that is too old (common.graphql `ReauthenticationRequired`). */
export const reauthenticationRequired = (maxAgeSeconds: number) =>
  ({
    __typename: REAUTHENTICATION_REQUIRED_TYPE,
    code: 'REAUTHENTICATION_REQUIRED',
    message: `Confirm it is you first: this needs a sign-in or a step-up (reauthenticate) within the last ${maxAgeSeconds} seconds`,
    maxAgeSeconds,
  }) as const;

/** Whether a field can answer `ReauthenticationRequired` as a value (its result union has it); otherwise it is refused with FORBIDDEN. */
function answersReauthentication(field: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(field.type);
  return isUnionType(type) && type.getTypes().some((member) => member.name === REAUTHENTICATION_REQUIRED_TYPE);
}

const FEDERATION_FIELDS = new Set(['Query._entities', 'Query._service', '_Service.sdl']);

function ownFields(schema: GraphQLSchema) {
  return Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => isObjectType(type) && !isIntrospectionType(type))
    .flatMap((type) =>
      Object.values(type.getFields())
        .filter((field) => !FEDERATION_FIELDS.has(`${type.name}.${field.name}`))
        .map((field) => ({ type, field, requirement: readRequirement([...directivesOf(type), ...(field.astNode?.directives ?? [])]) })),
    );
}

/** Fields that declare no requirement at all; `assertEveryFieldDeclared` refuses a schema that has any. */
export function undeclaredFields(schema: GraphQLSchema): string[] {
  return ownFields(schema)
    .filter(({ requirement }) => !requirement.declared)
    .map(({ type, field }) => `${type.name}.${field.name}`);
}

/** A subgraph schema with fields that say nothing about who may read them. */
export class UndeclaredAuthorizationError extends Error {
  override name = 'UndeclaredAuthorizationError';

  constructor(
    readonly subgraph: string,
    readonly fields: string[],
  ) {
    super(`the ${subgraph} subgraph has fields that declare no authorization (@public, @authenticated, @requiresScopes or @private): ${fields.join(', ')}`);
  }
}

/**
 * Fails closed: a field without a declaration would be served to anyone, because enforcement wraps
 * only the fields that declare something. So a subgraph with such a field does not start at all.
 */
export function assertEveryFieldDeclared(schema: GraphQLSchema, subgraph: string): GraphQLSchema {
  const undeclared = undeclaredFields(schema);
  if (undeclared.length > 0) throw new UndeclaredAuthorizationError(subgraph, undeclared);
  return schema;
}

type ResolveReference = (reference: Record<string, unknown>, context: { viewer: Viewer | null }, info: unknown) => unknown;

/**
 * Wraps every resolver whose field or type declares a requirement. This is the one place where the
 * declared permissions are enforced: the Node gateway does not enforce these directives itself.
 * A hidden (not owned) nullable field reads as null; a hidden non-null field is FORBIDDEN. A
 * `@private` entity type also resolves references of others' objects to null.
 */
export function enforceAuthorizationDirectives(schema: GraphQLSchema): GraphQLSchema {
  for (const { field, requirement } of ownFields(schema)) {
    if (!requirement.authenticated && requirement.owner === null) continue;
    if (requirement.recentAuthMaxAgeSeconds !== null && !(requirement.recentAuthMaxAgeSeconds > 0)) {
      throw new Error(`@requiresRecentAuth on ${field.name} needs a positive maxAgeSeconds`);
    }
    const resolve: GraphQLFieldResolver<unknown, { viewer: Viewer | null }> = field.resolve ?? defaultFieldResolver;
    const nullable = !isNonNullType(field.type);
    const typedReauthentication = answersReauthentication(field);
    field.resolve = (parent, args, context, info) => {
      switch (isAllowed(requirement, context.viewer, parent)) {
        case 'ok':
          return resolve(parent, args, context, info);
        case 'unauthenticated':
          throw unauthenticatedError();
        case 'forbidden':
          throw forbiddenError();
        case 'hidden':
          if (nullable) return null;
          throw forbiddenError();
        case 'reauthenticate': {
          const maxAgeSeconds = requirement.recentAuthMaxAgeSeconds ?? 0;
          if (typedReauthentication) return reauthenticationRequired(maxAgeSeconds);
          throw forbiddenError(reauthenticationRequired(maxAgeSeconds).message);
        }
      }
    };
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const requirement = readRequirement(directivesOf(type));
    if (requirement.owner === null) continue;
    const extensions = type.extensions as { apollo?: { subgraph?: { resolveReference?: ResolveReference } } };
    const resolveReference: ResolveReference = extensions.apollo?.subgraph?.resolveReference ?? ((reference) => reference);
    const guarded: ResolveReference = async (reference, context, info) => {
      const entity = await resolveReference(reference, context, info);
      return entity && isAllowed(requirement, context.viewer, entity) === 'ok' ? entity : null;
    };
    type.extensions = { ...type.extensions, apollo: { ...extensions.apollo, subgraph: { ...extensions.apollo?.subgraph, resolveReference: guarded } } };
  }
  return schema;
}
