import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, Kind } from 'graphql';

/**
 * Refuses, with a 400, a request whose document does not say which operation to run: `operationName`
 * naming no operation of the document (or empty), or several operations and no `operationName`.
 * Apollo Server leaves this to execution, where the gateway's executor throws, which became a 500. The
 * code is BAD_REQUEST, as for every other malformed request.
 */
export function operationResolutionPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          const names = document.definitions.flatMap((definition) =>
            definition.kind === Kind.OPERATION_DEFINITION ? [definition.name ? `"${definition.name.value}"` : 'an anonymous operation'] : [],
          );
          const message =
            names.length === 0
              ? 'The document defines no operation to run'
              : request.operationName === undefined || request.operationName === null
                ? `The document defines ${names.length} operations (${names.join(', ')}): give the name of the one to run in \`operationName\``
                : request.operationName === ''
                  ? `\`operationName\` is empty: leave it out, or give the name of an operation the document defines (${names.join(', ')})`
                  : `\`operationName\` is "${request.operationName}", but the document defines ${names.join(', ')}`;
          throw new GraphQLError(message, { extensions: { code: ApolloServerErrorCode.BAD_REQUEST, http: { status: 400 } } });
        },
      };
    },
  };
}
