/** The caller, as proven by a verified access token: a signed-in user, or a service (`clientId` set). */
export interface Viewer {
  userId: string;
  sessionId: string;
  roles: readonly string[];
  /**
   * Set only for a service identity: the client that obtained the token with its credentials
   * (`issueServiceToken`, README "Security"). `userId` is then the client's stable subject, which names
   * no account, and `sessionId` names no session.
   */
  clientId?: string;
  /** When the person last proved who they are in this session (the token's `auth_time`, seconds since the epoch). */
  authTime?: number;
  /** How they proved it (the token's `amr`, RFC 8176): `pwd`, `otp`, `hwk`, and `mfa` when two factors were used. */
  amr?: readonly string[];
}

/** Whether the caller is a service calling with a client-credentials token, not a user. */
export function isService(viewer: Viewer): boolean {
  return viewer.clientId !== undefined;
}

/** The viewer when it is a signed-in user; null for no viewer and for a service, which is nobody's account. */
export function signedInUser(viewer: Viewer | null): Viewer | null {
  return viewer !== null && !isService(viewer) ? viewer : null;
}

/** For resolvers of fields declared `@authenticated`: the directive already refused anonymous callers and services. */
export function requireViewer(context: { viewer: Viewer | null }): Viewer {
  if (context.viewer === null) throw new Error('an @authenticated field ran without a viewer');
  return context.viewer;
}

/**
 * After a successful sign-in (login, verifyEmail, resetPassword) the caller is that user for the rest
 * of the operation, so the `AuthSession.user` it asked for is its own and readable.
 */
export function signIn(context: { viewer: Viewer | null }, viewer: Viewer): void {
  context.viewer = viewer;
}
