import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiSchemaSdl } from './api-schema.js';
import { breakingChanges, findBaseline, unannounced } from './schema-check.js';
import { SUPERGRAPH_FILE } from './compose.js';

const V1 = `
"Root." type Query { "A." user(id: ID!): User "B." users(first: Int): [User!]! }
"A user." type User { "Id." id: ID! "Roles." roles: [String!]! "Name." name: String }
`;
// Breaking: User.roles changes type, User.name is removed, Query.users(first:) becomes required.
const V2 = `
"Root." type Query { "A." user(id: ID!): User "B." users(first: Int!): [User!]! }
"A user." type User { "Id." id: ID! "Roles." roles: [Role!]! }
"A role." enum Role { "x" CUSTOMER }
`;

const changelog = (newest: string, older = '') => `# Changelog\n\n## 2.0\n\n${newest}\n\n## 1.0\n\n${older}\n`;

describe('breaking changes and the changelog', () => {
  it('finds the breaking changes by schema coordinate', async () => {
    const changes = await breakingChanges(V1, V2);
    expect(changes.map((change) => change.path).sort()).toEqual(['Query.users.first', 'User.name', 'User.roles']);
    expect(await breakingChanges(V1, V1)).toEqual([]);
  });

  it('accepts only changes named in the newest section, by coordinate (an argument also as `Type.field(arg:)`)', async () => {
    const changes = await breakingChanges(V1, V2);
    const open = (text: string, older?: string) => unannounced(changes, changelog(text, older)).map((change) => change.path).sort();
    expect(open('`User.roles` is an enum; `User.name` is gone; `Query.users(first:)` is required.')).toEqual([]);
    expect(open('User.roles and User.name and Query.users.first.')).toEqual([]);
    expect(open('`User.roles` is an enum.', '`User.name` is gone, `Query.users(first:)` required')).toEqual(['Query.users.first', 'User.name']);
    // A coordinate inside a longer one does not count.
    expect(open('`User.rolesOld`, `OtherUser.name`, `Query.users`')).toEqual(['Query.users.first', 'User.name', 'User.roles']);
  });
});

describe('the baseline it compares with', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const write = async (file: string, content: string) => {
    await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
    await writeFile(path.join(repo, file), content);
  };
  const commit = async (files: Record<string, string>, message: string) => {
    for (const [file, content] of Object.entries(files)) await write(file, content);
    git('add', '-A');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };

  afterEach(async () => {
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  it('is HEAD while the working schema differs from it, else the version before the last commit that changed it', async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'meridian-schema-check-'));
    git('init', '-q');
    const supergraph = await readFile(SUPERGRAPH_FILE, 'utf8');
    await commit({ 'schema/supergraph.graphql': supergraph }, 'supergraph only');
    // The commit that adds api.graphql is compared with the API schema of its parent's supergraph.
    const added = await commit({ 'schema/api.graphql': V1 }, 'api schema');
    expect(findBaseline(repo, V1)).toEqual({
      sdl: apiSchemaSdl(supergraph).replace(/^#.*\n/, '').trimEnd(),
      source: `the API schema of ${added.slice(0, 12)}^:schema/supergraph.graphql`,
    });
    // A change in progress is compared with HEAD.
    await write('schema/api.graphql', V2);
    expect(findBaseline(repo, V2)).toEqual({ sdl: V1, source: 'HEAD:schema/api.graphql' });
    // Once committed, with the version before it; a later commit that leaves the schema alone changes nothing.
    const second = await commit({ 'schema/api.graphql': V2 }, 'v2');
    await commit({ 'README.md': 'unrelated' }, 'unrelated');
    expect(findBaseline(repo, V2)).toEqual({ sdl: V1, source: `${second.slice(0, 12)}^:schema/api.graphql` });
  });

  it('has none when history holds no earlier schema', async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'meridian-schema-check-'));
    git('init', '-q');
    await commit({ 'schema/api.graphql': V1 }, 'first');
    expect(findBaseline(repo, V1)).toBeNull();
  });
});
