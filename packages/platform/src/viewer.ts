/** The signed-in caller, as proven by a verified access token. */
export interface Viewer {
  userId: string;
  sessionId: string;
  roles: readonly string[];
}

/** For resolvers of fields declared `@authenticated`: the directive already refused anonymous callers. */
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
