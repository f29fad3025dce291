/** The PostgreSQL schema each service owns; a service's role may use that schema and no other. */
export const SERVICE_SCHEMAS = ['auth', 'users', 'localization', 'catalog', 'inventory', 'cart', 'orders', 'notifications', 'payments'] as const;
export type ServiceSchema = (typeof SERVICE_SCHEMAS)[number];

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Statements that give `role` read/write access to the tables of one service schema, now and after
 * future migrations, and nothing else. Run them as the role that applies migrations (it owns the
 * schemas). The role must already exist: `create role meridian_auth login password '…'`.
 */
export function serviceRoleGrants(schema: ServiceSchema, role: string): string[] {
  if (!IDENTIFIER.test(role)) throw new Error(`invalid role name: ${role}`);
  return [
    `grant usage on schema ${schema} to ${role}`,
    `grant select, insert, update, delete on all tables in schema ${schema} to ${role}`,
    `grant usage, select on all sequences in schema ${schema} to ${role}`,
    `alter default privileges in schema ${schema} grant select, insert, update, delete on tables to ${role}`,
    `alter default privileges in schema ${schema} grant usage, select on sequences to ${role}`,
  ];
}
