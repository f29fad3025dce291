import type { RoleResolvers } from '../__generated__/resolvers-types.js';

// Roles are stored, and carried in access tokens, in lower case; the GraphQL enum names them in upper case.
export const Role: RoleResolvers = { CUSTOMER: 'customer', ADMIN: 'admin' };
