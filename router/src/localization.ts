import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, getDirectiveValues, type OperationDefinitionNode } from 'graphql';
import { resolveRequestLocalization, type ContextRequest, type RequestLanguage, type ShopSettings } from '@meridian/platform';

/** Headers a client names its locale and currency with, for one request (as `@inContext` does in the operation). */
export const LOCALE_HEADER = 'x-meridian-locale';
export const CURRENCY_HEADER = 'x-meridian-currency';
/** The operation directive a client names its locale and currency with; it wins over the headers. */
export const IN_CONTEXT_DIRECTIVE = 'inContext';

/** What a request's context needs to resolve, and then carry, its locale and currency. */
export interface LocalizedRequest {
  /** Everything the request says about its language and currency; the directive is added once the operation is known. */
  localizationRequest: ContextRequest;
  /** The resolved locale and currency: sent to every subgraph inside the router token, and back in `extensions.context`. */
  localization: RequestLanguage;
  viewer: { userId: string } | null;
}

export function resolveLocalization(request: ContextRequest, shop: ShopSettings): RequestLanguage {
  const { locale, currency } = resolveRequestLocalization(request, shop);
  return { locale, currency };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The explicit choice a request makes with headers. */
export function explicitFromHeaders(headers: Record<string, string | string[] | undefined>): ContextRequest['explicit'] {
  return { locale: firstHeader(headers[LOCALE_HEADER]) ?? null, currency: firstHeader(headers[CURRENCY_HEADER]) ?? null };
}

function changesProfile(operation: OperationDefinitionNode): boolean {
  return (
    operation.operation === 'mutation' &&
    operation.selectionSet.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value === 'updateProfile')
  );
}

/**
 * Applies `@inContext(locale:, currency:)` once the operation is known (it wins over the headers),
 * says in `extensions.context` which locale and currency the answer was given in, and forgets a
 * user's cached preferences after a request of theirs changed the profile.
 */
export function localizationPlugin<TContext extends LocalizedRequest>(options: { shop: () => ShopSettings; forgetPreferences: (userId: string) => void }): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      let profileChanged = false;
      return {
        async didResolveOperation({ operation, schema, request, contextValue }) {
          if (!operation) return;
          profileChanged = changesProfile(operation);
          const definition = schema.getDirective(IN_CONTEXT_DIRECTIVE);
          const node = operation.directives?.find((directive) => directive.name.value === IN_CONTEXT_DIRECTIVE);
          if (!definition || !node) return;
          const values = getDirectiveValues(definition, { directives: [node] }, request.variables ?? {}) as { locale?: string | null; currency?: string | null } | undefined;
          const explicit = contextValue.localizationRequest.explicit;
          contextValue.localizationRequest = {
            ...contextValue.localizationRequest,
            explicit: { locale: values?.locale ?? explicit?.locale ?? null, currency: values?.currency ?? explicit?.currency ?? null },
          };
          contextValue.localization = resolveLocalization(contextValue.localizationRequest, options.shop());
        },
        async willSendResponse({ response, contextValue }) {
          if (profileChanged && contextValue.viewer) options.forgetPreferences(contextValue.viewer.userId);
          if (response.body.kind !== 'single') return;
          const { locale, currency } = contextValue.localization;
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, context: { locale, currency } };
        },
      };
    },
  };
}
