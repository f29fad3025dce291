import { execFileSync } from 'node:child_process';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, printSchema } from 'graphql';
import { apiSchemaOf } from './api-schema.js';

/** The API schema a change is measured against, and where it came from. */
export interface Baseline {
  sdl: string;
  source: string;
}

const API_SCHEMA_PATH = 'schema/api.graphql';
const SUPERGRAPH_PATH = 'schema/supergraph.graphql';

function git(repoDir: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return null;
  }
}

/** The API schema at a revision: its schema/api.graphql, or, before that file existed, derived from its supergraph. */
function apiSchemaAt(repoDir: string, revision: string): Baseline | null {
  const sdl = git(repoDir, ['show', `${revision}:${API_SCHEMA_PATH}`]);
  if (sdl !== null) return { sdl, source: `${revision}:${API_SCHEMA_PATH}` };
  const supergraph = git(repoDir, ['show', `${revision}:${SUPERGRAPH_PATH}`]);
  if (supergraph === null) return null;
  return { sdl: printSchema(apiSchemaOf(supergraph)), source: `the API schema of ${revision}:${SUPERGRAPH_PATH}` };
}

/**
 * What the working API schema is compared with: HEAD's when the working schema/api.graphql differs
 * from it (a change in progress); otherwise the one before the last commit that changed it, so a
 * fresh clone (CI) checks the latest change. Null when history holds no earlier schema.
 */
export function findBaseline(repoDir: string, workingApiSdl: string): Baseline | null {
  const head = git(repoDir, ['show', `HEAD:${API_SCHEMA_PATH}`]);
  if (head === null) return apiSchemaAt(repoDir, 'HEAD');
  if (head !== workingApiSdl) return { sdl: head, source: `HEAD:${API_SCHEMA_PATH}` };
  const lastChange = git(repoDir, ['log', '-1', '--format=%H', '--', API_SCHEMA_PATH])?.trim();
  if (!lastChange || git(repoDir, ['rev-parse', '--verify', '--quiet', `${lastChange}^`]) === null) return null;
  return apiSchemaAt(repoDir, `${lastChange.slice(0, 12)}^`);
}

export async function breakingChanges(baselineSdl: string, currentSdl: string): Promise<Change[]> {
  const changes = await diff(buildSchema(baselineSdl), buildSchema(currentSdl));
  return changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
}

/** The text of the newest section (the first `## ` heading and what follows, up to the next one) of a changelog. */
export function newestSection(changelog: string): string {
  const sections = changelog.split(/^(?=## )/m).filter((section) => section.startsWith('## '));
  return sections[0] ?? '';
}

/** The schema coordinates a change may be announced by: GraphQL Inspector's path and, for an argument, `Type.field(argument:)`. */
export function coordinatesOf(change: Change): string[] {
  if (!change.path) return [];
  const parts = change.path.split('.');
  return parts.length === 3 ? [change.path, `${parts[0]}.${parts[1]}(${parts[2]}:)`] : [change.path];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Breaking changes whose coordinate the newest changelog section does not name. */
export function unannounced(changes: Change[], changelog: string): Change[] {
  const section = newestSection(changelog);
  return changes.filter((change) => {
    const coordinates = coordinatesOf(change);
    if (coordinates.length === 0) return !section.includes(change.message);
    return !coordinates.some((coordinate) => new RegExp(`(?<![\\w.])${escape(coordinate)}(?![\\w(])`).test(section));
  });
}
