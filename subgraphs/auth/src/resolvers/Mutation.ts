import { requireViewer, signIn } from '@meridian/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { AuthContext } from '../context.js';

/** A sign-in makes the caller that user for the rest of the operation (so `AuthSession.user` is theirs to read). */
async function signingIn<T extends { __typename: string }>(context: AuthContext, outcome: Promise<T>): Promise<T> {
  const result = await outcome;
  if (result.__typename === 'AuthSession' && 'viewer' in result) signIn(context, result.viewer as NonNullable<AuthContext['viewer']>);
  return result;
}

export const Mutation: MutationResolvers = {
  register: (_parent, { input }, { signUp, client }) => signUp.register(input, client),
  requestEmailVerification: (_parent, { email, password }, { signUp, client }) => signUp.requestEmailVerification(email, password, client),
  verifyEmail: (_parent, { token }, context) => signingIn(context, context.signUp.verifyEmail(token, context.client)),
  login: (_parent, { input }, context) => signingIn(context, context.signIn.login(input, context.client)),
  refreshSession: (_parent, { refreshToken }, context) => signingIn(context, context.sessions.refresh(refreshToken, context.client)),
  logout: (_parent, _args, context) => context.sessions.logout(requireViewer(context), context.client),
  revokeSession: (_parent, { id }, context) => context.sessions.revoke(requireViewer(context), id, context.client),
  logoutEverywhere: (_parent, _args, context) => context.sessions.logoutEverywhere(requireViewer(context), context.client),
  requestPasswordReset: (_parent, { email }, { passwords, client }) => passwords.requestPasswordReset(email, client),
  resetPassword: (_parent, { token, newPassword }, context) => signingIn(context, context.passwords.resetPassword(token, newPassword, context.client)),
  changePassword: (_parent, { currentPassword, newPassword }, context) =>
    context.passwords.changePassword(requireViewer(context), currentPassword, newPassword, context.client),
  requestEmailChange: (_parent, { newEmail, password }, context) =>
    context.emailChange.requestEmailChange(requireViewer(context), newEmail, password, context.client),
  confirmEmailChange: (_parent, { token }, { emailChange, viewer, client }) => emailChange.confirmEmailChange(token, viewer, client),
};
