import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NODE_TYPE_CODES, newNodeId, nodeTypeOf } from './node-id.js';

describe('node ids', () => {
  it('are UUIDv7 with the type code in the last byte, read back by nodeTypeOf', () => {
    for (const type of Object.keys(NODE_TYPE_CODES) as (keyof typeof NODE_TYPE_CODES)[]) {
      const id = newNodeId(type);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.parseInt(id.slice(-2), 16)).toBe(NODE_TYPE_CODES[type]);
      expect(nodeTypeOf(id)).toBe(type);
      expect(nodeTypeOf(id.toUpperCase())).toBe(type);
    }
  });

  it('stay strictly increasing, so keyset pages and indexes keep insertion order', () => {
    const ids = Array.from({ length: 1000 }, (_, index) => newNodeId(index % 2 ? 'User' : 'Address'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('name no type for anything else: malformed, not v7, or an unknown code', () => {
    const v7 = newNodeId('User');
    for (const id of ['', 'not-an-id', v7.slice(0, -1), `${v7}0`, randomUUID().replace(/..$/, '01'), `${v7.slice(0, -2)}00`, `${v7.slice(0, -2)}ff`]) {
      expect(nodeTypeOf(id)).toBeNull();
    }
  });

  it('give every type its own code', () => {
    const codes = Object.values(NODE_TYPE_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((code) => Number.isInteger(code) && code > 0 && code < 256)).toBe(true);
  });
});
