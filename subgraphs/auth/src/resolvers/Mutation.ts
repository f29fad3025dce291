import { requireViewer, signIn, signedInUser } from '@meridian/platform';
import type { MutationResolvers, TokenDelivery } from '../__generated__/resolvers-types.js';
import type { AuthContext } from '../context.js';
import { secondFactorProof } from '../second-factors/second-factors.rules.js';
import { deliverSession } from '../sessions/refresh-cookie.js';
import type { IssuedSession } from '../sessions/sessions.model.js';

const isIssuedSession = <T extends { __typename: string }>(result: IssuedSession | T): result is IssuedSession => result.__typename === 'AuthSession';

/**
 * A sign-in makes the caller that user for the rest of the operation (so `AuthSession.user` is theirs to
 * read), and hands the refresh token over as the client chose: in the body, or in the browser's cookie.
 */
async function signingIn<T extends { __typename: string }>(
  context: AuthContext,
  outcome: Promise<IssuedSession | T>,
  delivery: TokenDelivery | null | undefined,
): Promise<IssuedSession | T> {
  const result = await outcome;
  if (!isIssuedSession(result)) return result;
  signIn(context, result.viewer);
  return deliverSession(result, delivery ?? 'BODY', context.refreshCookie);
}

/**
 * Refreshes with the token given, else with the browser's cookie. A token from the cookie is never
 * moved into the body: its successor goes back to the cookie, and a cookie that no longer works is deleted.
 */
async function refreshing(context: AuthContext, refreshToken: string | null | undefined, delivery: TokenDelivery | null | undefined) {
  const cookie = context.refreshCookie;
  const fromCookie = refreshToken == null;
  const result = await signingIn(context, context.sessions.refresh(fromCookie ? cookie.presented : refreshToken, context.client), fromCookie ? 'COOKIE' : delivery);
  if (fromCookie && cookie.presented !== null && result.__typename === 'InvalidRefreshToken') cookie.clear();
  return result;
}

/** Ends the session of the token given, else of the browser's cookie, else of the access token; the cookie is always deleted. */
async function signingOut(context: AuthContext, refreshToken: string | null | undefined) {
  const result = await context.sessions.logout({ refreshToken: refreshToken ?? context.refreshCookie.presented, viewer: signedInUser(context.viewer) }, context.client);
  context.refreshCookie.clear();
  return result;
}

export const Mutation: MutationResolvers = {
  register: (_parent, { input, linkBase }, { signUp, client }) => signUp.register(input, client, linkBase),
  requestEmailVerification: (_parent, { email, password, linkBase }, { signUp, client }) => signUp.requestEmailVerification(email, password, client, linkBase),
  verifyEmail: (_parent, { token, tokenDelivery }, context) => signingIn(context, context.signUp.verifyEmail(token, context.client), tokenDelivery),
  login: (_parent, { input, tokenDelivery }, context) => signingIn(context, context.signIn.login(input, context.client), tokenDelivery),
  refreshSession: (_parent, { refreshToken, tokenDelivery }, context) => refreshing(context, refreshToken, tokenDelivery),
  logout: (_parent, { refreshToken }, context) => signingOut(context, refreshToken),
  revokeSession: (_parent, { id }, context) => context.sessions.revoke(requireViewer(context), id, context.client),
  logoutEverywhere: (_parent, _args, context) => context.sessions.logoutEverywhere(requireViewer(context), context.client),
  requestPasswordReset: (_parent, { email, linkBase }, { passwords, client }) => passwords.requestPasswordReset(email, client, linkBase),
  resetPassword: (_parent, { token, newPassword, tokenDelivery }, context) =>
    signingIn(context, context.passwords.resetPassword(token, newPassword, context.client), tokenDelivery),
  changePassword: (_parent, { currentPassword, newPassword }, context) =>
    context.passwords.changePassword(requireViewer(context), currentPassword, newPassword, context.client),
  requestEmailChange: (_parent, { newEmail, password, linkBase }, context) =>
    context.emailChange.requestEmailChange(requireViewer(context), newEmail, password, context.client, linkBase),
  deleteAccount: (_parent, { password }, context) => context.deletion.deleteAccount(requireViewer(context), password, context.client),
  confirmEmailChange: (_parent, { token }, { emailChange, viewer, client }) => emailChange.confirmEmailChange(token, viewer, client),
  issueServiceToken: (_parent, { clientId, clientSecret }, { serviceTokens, client }) => serviceTokens.issue(clientId, clientSecret, client),
  completeSecondFactor: (_parent, { challengeId, totp, recoveryCode, webauthnResponse, tokenDelivery }, context) =>
    signingIn(context, context.secondFactorSignIn.completeSecondFactor(challengeId, secondFactorProof({ totp, recoveryCode, webauthnResponse }), context.client), tokenDelivery),
  startTotpEnrollment: (_parent, _args, context) => context.secondFactors.startTotpEnrollment(requireViewer(context)),
  confirmTotpEnrollment: (_parent, { code }, context) => context.secondFactors.confirmTotpEnrollment(requireViewer(context), code, context.client),
  removeTotp: (_parent, _args, context) => context.secondFactors.removeTotp(requireViewer(context), context.client),
  generateRecoveryCodes: (_parent, _args, context) => context.secondFactors.generateRecoveryCodes(requireViewer(context), context.client),
  startPasskeyRegistration: (_parent, _args, context) => context.secondFactors.startPasskeyRegistration(requireViewer(context)),
  finishPasskeyRegistration: (_parent, { challengeId, name, response }, context) =>
    context.secondFactors.finishPasskeyRegistration(requireViewer(context), { challengeId, name, response }, context.client),
  removePasskey: (_parent, { id }, context) => context.secondFactors.removePasskey(requireViewer(context), id, context.client),
  startPasskeySignIn: (_parent, _args, context) => context.secondFactorSignIn.startPasskeySignIn(context.client),
  finishPasskeySignIn: (_parent, { challengeId, response, tokenDelivery }, context) =>
    signingIn(context, context.secondFactorSignIn.finishPasskeySignIn(challengeId, response, context.client), tokenDelivery),
  startPasskeyReauthentication: (_parent, _args, context) => context.secondFactorSignIn.startPasskeyReauthentication(requireViewer(context)),
  reauthenticate: (_parent, { password, totp, recoveryCode, challengeId, webauthnResponse }, context) =>
    context.secondFactorSignIn.reauthenticate(requireViewer(context), { password, totp, recoveryCode, challengeId, webauthnResponse }, context.client),
};
