import { stringify, v7 as uuidv7, validate, version } from 'uuid';

/**
 * The types of object that `node(id:)` can refetch, with the code each one's ids carry in their last
 * byte. In a federated graph no single service can tell what an id names; with the type in the id,
 * the router's `node` subgraph answers `{ __typename, id }` and the owning service resolves the rest.
 * Codes are permanent: never reuse or renumber one, only add.
 */
export const NODE_TYPE_CODES = {
  User: 1,
  Address: 2,
  Product: 3,
  ProductVariant: 4,
  Order: 5,
  Payment: 6,
} as const;

export type NodeTypeName = keyof typeof NODE_TYPE_CODES;

const TYPE_BY_CODE = new Map<number, NodeTypeName>(Object.entries(NODE_TYPE_CODES).map(([name, code]) => [code, name as NodeTypeName]));

/**
 * A new id for an object of `type`: a UUIDv7 (time-ordered, so keyset pages and indexes stay in
 * insertion order) whose last byte, random in plain v7, is the type's code. The timestamp and the
 * sequence counter before it keep ids of one process strictly increasing.
 */
export function newNodeId(type: NodeTypeName): string {
  const bytes = uuidv7(undefined, new Uint8Array(16));
  bytes[15] = NODE_TYPE_CODES[type];
  return stringify(bytes);
}

/** The type an id names, or null for anything that is not a UUIDv7 with a known type code. */
export function nodeTypeOf(id: string): NodeTypeName | null {
  if (!validate(id) || version(id) !== 7) return null;
  return TYPE_BY_CODE.get(Number.parseInt(id.slice(-2), 16)) ?? null;
}
