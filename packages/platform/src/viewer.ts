/** The signed-in caller, as proven by a verified access token. */
export interface Viewer {
  userId: string;
  sessionId: string;
  roles: readonly string[];
}

export function hasRole(viewer: Viewer | null, role: string): boolean {
  return viewer !== null && viewer.roles.includes(role);
}

/** Self-or-admin: the visibility rule for a user's private data. */
export function canActFor(viewer: Viewer | null, userId: string): boolean {
  return viewer !== null && (viewer.userId === userId || viewer.roles.includes('admin'));
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
