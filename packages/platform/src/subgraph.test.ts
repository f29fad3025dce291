import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readCommonConfig } from './config.js';
import { createLogger } from './logger.js';
import { routerVerificationKeys } from './router-keys.js';
import { startSubgraph, type RequestBase } from './subgraph.js';

const typeDefs = (fields: string, secretFields: string) =>
  parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated"])
    directive @public on FIELD_DEFINITION | OBJECT
    type Query { ${fields} }
    type Note @key(fields: "id") @public { id: ID! text: String }
    type Secret { ${secretFields} }
  `);

const start = (fields: string, secretFields = 'value: String @authenticated') =>
  startSubgraph<RequestBase>({
    name: 'test',
    typeDefs: typeDefs(fields, secretFields),
    resolvers: {},
    common: readCommonConfig({}),
    port: 0,
    logger: createLogger({ service: 'test', level: 'silent' }),
    routerKeys: routerVerificationKeys(async () => {
      throw new Error('no keys in this test');
    }),
    createContext: (base) => base,
    isReady: async () => true,
  });

describe('startSubgraph: authorization fails closed', () => {
  it('refuses to start while any field declares nothing, naming every such field', async () => {
    const started = start('note: Note @public, secret: Secret @authenticated, open: String', 'value: String @authenticated, hint: String');
    await expect(started).rejects.toThrow(/declare no authorization.*Query\.open.*Secret\.hint/s);
    // Had it started anyway, stop it so the test process can end.
    await started.then((subgraph) => subgraph.close()).catch(() => {});
  });

  it('starts when every field declares who may read it', async () => {
    const subgraph = await start('note: Note @public, secret: Secret @authenticated');
    await subgraph.close();
  });
});
