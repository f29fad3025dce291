import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import postgres, { type Sql } from 'postgres';
import { migrateDatabase, migrationsFolder } from '@meridian/db';

/** The server the tests use: PostgreSQL on 127.0.0.1:5432 unless TEST_DATABASE_URL says otherwise. */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

const databaseUrl = (name: string) => {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * Migrating a fresh database runs every migration again (seconds of the server's CPU per graph). Each
 * test database is instead copied from a template migrated once per set of migrations: its name carries
 * the hash of the migration files (and their journal), so a changed migration gets a new template, and
 * clones at other commits sharing the server keep theirs. Whoever starts a graph still runs
 * `migrateDatabase`, which finds nothing left to apply.
 */
function templateName(): string {
  const hash = createHash('sha256');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
      .sort();
  for (const file of files(migrationsFolder)) hash.update(path.relative(migrationsFolder, file)).update('\0').update(readFileSync(file)).update('\0');
  return `meridian_template_${hash.digest('hex').slice(0, 16)}`;
}

// Any fixed number shared by every test process (and every clone using the server): one of them builds a template at a time.
const TEMPLATE_LOCK_KEY = 7_351_928_364;
let template: Promise<string> | undefined;

async function ensureTemplate(admin: Sql): Promise<string> {
  const name = templateName();
  const exists = async () => (await admin`select 1 from pg_database where datname = ${name} and datistemplate`).length > 0;
  if (await exists()) return name;
  await admin`select pg_advisory_lock(${TEMPLATE_LOCK_KEY})`;
  try {
    if (await exists()) return name;
    // Built under another name and marked a template only once migrated: a template is never half-built.
    const building = `${name}_building`;
    await admin.unsafe(`drop database if exists ${building} with (force)`);
    await admin.unsafe(`create database ${building}`);
    await migrateDatabase(databaseUrl(building));
    await admin.unsafe(`alter database ${building} rename to ${name}`);
    await admin.unsafe(`alter database ${name} with is_template true allow_connections false`);
    return name;
  } finally {
    await admin`select pg_advisory_unlock(${TEMPLATE_LOCK_KEY})`;
  }
}

/** The template's name, built first if no process has built it yet (`admin`: a connection to the server at ADMIN_DATABASE_URL). */
export function migratedTemplate(admin: Sql): Promise<string> {
  template ??= ensureTemplate(admin).catch((error: unknown) => {
    template = undefined;
    throw error;
  });
  return template;
}

/** A fresh, migrated database for one test file (a copy of the template); `drop` removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `meridian_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const from = await migratedTemplate(admin);
    await admin.unsafe(`create database ${name} template ${from}`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(name),
    name,
    drop: async () => {
      const dropper = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
