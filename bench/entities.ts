// Scenario 3 of `pnpm bench` alone (issue 14): the users service in this process, `_entities` for 100 and 1000
// users, p50 of wall time and of this process's CPU time. The seeded database is kept when ENTITIES_DB names
// one (made on first use); PROFILE=1 adds the bench's "where the time goes" line; `node --cpu-prof` works too.
//   ENTITIES_DB=meridian_entities node --import tsx bench/entities.ts [users=1000] [samples=30]
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import postgres from 'postgres';
import { createPool, migrateDatabase } from '@meridian/db';
import {
  ACCESS_TOKEN_TYPE,
  ROUTER_TOKEN_HEADER,
  createAccessTokenVerifier,
  createLogger,
  createRouterTokenSigner,
  generateSigningJwk,
  importSigningKeys,
  localKeyResolver,
  publicKeySet,
  readCommonConfig,
  resolveRouterVerificationKeys,
  toPublicJwk,
} from '@meridian/platform';
import { readUsersConfig, startUsersService } from '@meridian/users';
import { seedUsers } from './lib/seed.js';
import { profileCpu, whereTheTimeGoes } from './lib/cpu-profile.js';

const USERS = Number(process.argv[2] ?? 1000);
const SAMPLES = Number(process.argv[3] ?? 30);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const reuse = process.env.ENTITIES_DB;
const databaseName = reuse ?? `meridian_entities_${randomBytes(4).toString('hex')}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${databaseName}` }).toString();
const dataDir = await mkdtemp(path.join(tmpdir(), 'meridian-entities-'));
try {
  let users: { id: string }[];
  const exists = reuse && (await admin`select 1 from pg_database where datname = ${reuse}`).length > 0;
  if (exists) {
    const seeded = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    users = await seeded<{ id: string }[]>`select id from auth.users order by email limit ${USERS}`;
    await seeded.end();
  } else {
    await admin.unsafe(`create database ${databaseName}`);
    await migrateDatabase(databaseUrl);
    const seedSql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
    users = await seedUsers(seedSql, USERS);
    await seedSql.end();
  }
  const [authKey] = await importSigningKeys([await generateSigningJwk()], 'bench');
  const routerJwks = [await generateSigningJwk()];
  const [routerKey] = await importSigningKeys(routerJwks, 'bench');
  const ROUTER_JWKS = JSON.stringify({ keys: routerJwks.map(toPublicJwk) });
  const signRouterToken = createRouterTokenSigner(routerKey!);
  const common = readCommonConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, HOST: '127.0.0.1', ROUTER_JWKS });
  const pool = createPool(databaseUrl, { max: 4 });
  const service = await startUsersService({
    common,
    config: { ...readUsersConfig({}), port: 0 },
    sql: pool,
    logger: createLogger({ service: 'entities-users', level: 'silent' }),
    routerKeys: await resolveRouterVerificationKeys(common, { ROUTER_JWKS }),
  });
  const token = await new SignJWT({ sid: randomUUID(), roles: ['customer', 'admin'] })
    .setProtectedHeader({ alg: 'EdDSA', kid: authKey!.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(common.tokenIssuer)
    .setAudience(common.tokenAudience)
    .setSubject(users[0]!.id)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(authKey!.privateKey);
  // The router token vouches for the caller the router would have verified.
  const verifiedCaller = async (accessToken: string) => {
    const check = await createAccessTokenVerifier({ keys: localKeyResolver(publicKeySet([authKey!])), issuer: common.tokenIssuer, audience: common.tokenAudience })(accessToken);
    if (!check.ok) throw new Error(`the bench token did not verify: ${check.reason}`);
    return { accessToken, verified: check.token };
  };
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    [ROUTER_TOKEN_HEADER]: signRouterToken({ subgraph: 'users', caller: await verifiedCaller(token), client: { ip: null, userAgent: null } }),
  };
  const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
    ... on User { id profile { displayName } addresses { id city } defaultShippingAddress { id } } } }`;
  const out: string[] = [];
  for (const n of [100, 1000].filter((size) => size <= USERS)) {
    const body = JSON.stringify({ query, variables: { representations: users.slice(0, n).map(({ id }) => ({ __typename: 'User', id })) } });
    const timings: number[] = [];
    const cpu: number[] = [];
    let text = '';
    for (let sample = -5; sample < SAMPLES; sample += 1) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const response = await fetch(`${service.url}/graphql`, { method: 'POST', headers, body });
      text = await response.text();
      if (sample >= 0) {
        timings.push(performance.now() - started);
        const used = process.cpuUsage(cpuStarted);
        cpu.push((used.user + used.system) / 1000);
      }
    }
    const answer = JSON.parse(text) as { data?: { _entities: { addresses: unknown[]; defaultShippingAddress: unknown }[] } };
    if (!answer.data) throw new Error(text.slice(0, 300));
    const nonNull = answer.data._entities.filter((e) => e.defaultShippingAddress && e.addresses.length === 2).length;
    timings.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    if (n === 1000 && process.env.PROFILE) {
      const ms = await profileCpu(async () => {
        for (let sample = 0; sample < SAMPLES; sample += 1) await (await fetch(`${service.url}/graphql`, { method: 'POST', headers, body })).json();
      });
      out.push(whereTheTimeGoes({ n, requests: SAMPLES, ms }));
    }
    out.push(`N=${n} p50 ${timings[Math.floor(timings.length / 2)]!.toFixed(1)} ms min ${timings[0]!.toFixed(1)}, cpu p50 ${cpu[Math.floor(cpu.length / 2)]!.toFixed(1)} p10 ${cpu[Math.floor(cpu.length / 10)]!.toFixed(1)} ms (entities with 2 addresses+default ${nonNull}, ${text.length} bytes)`);
  }
  console.log(out.join('\n'));
  await service.close();
  await pool.end();
} finally {
  if (!reuse) await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
}
