/** True when `error`, or an error it wraps (drizzle wraps driver errors), is a PostgreSQL unique violation. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const candidate = current as Error & { code?: unknown; constraint_name?: unknown };
    if (candidate.code === '23505') return constraint === undefined || candidate.constraint_name === constraint;
  }
  return false;
}
