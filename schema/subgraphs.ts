/**
 * The subgraphs of the supergraph, with the routing URLs written into it. The router can point a
 * subgraph elsewhere at run time with `<NAME>_SUBGRAPH_URL` (e.g. `USERS_SUBGRAPH_URL`).
 */
export const SUBGRAPHS = [
  { name: 'auth', url: 'http://localhost:4001/graphql', schemaFile: new URL('../subgraphs/auth/schema.graphql', import.meta.url) },
  { name: 'users', url: 'http://localhost:4002/graphql', schemaFile: new URL('../subgraphs/users/schema.graphql', import.meta.url) },
  { name: 'localization', url: 'http://localhost:4003/graphql', schemaFile: new URL('../subgraphs/localization/schema.graphql', import.meta.url) },
  { name: 'catalog', url: 'http://localhost:4004/graphql', schemaFile: new URL('../subgraphs/catalog/schema.graphql', import.meta.url) },
  { name: 'inventory', url: 'http://localhost:4005/graphql', schemaFile: new URL('../subgraphs/inventory/schema.graphql', import.meta.url) },
  { name: 'cart', url: 'http://localhost:4006/graphql', schemaFile: new URL('../subgraphs/cart/schema.graphql', import.meta.url) },
  { name: 'orders', url: 'http://localhost:4007/graphql', schemaFile: new URL('../subgraphs/orders/schema.graphql', import.meta.url) },
  { name: 'payments', url: 'http://localhost:4008/graphql', schemaFile: new URL('../subgraphs/payments/schema.graphql', import.meta.url) },
  { name: 'notifications', url: 'http://localhost:4009/graphql', schemaFile: new URL('../subgraphs/notifications/schema.graphql', import.meta.url) },
  // `Node`, `node(id:)` and `nodes(ids:)`: served by the router itself, in process (router/src/node-subgraph.ts), so its
  // URL is never dialed.
  { name: 'node', url: 'http://in-process.invalid/node', schemaFile: new URL('../router/node.graphql', import.meta.url) },
] as const;
