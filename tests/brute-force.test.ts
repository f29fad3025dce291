import { randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op, RELAXED_RATE_LIMITS, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser, type SignedInUser } from './support/seed.js';

const INVALID = { __typename: 'InvalidCredentials', code: 'INVALID_CREDENTIALS', message: 'The e-mail address or password is incorrect' };

async function login(graph: TestGraph, email: string, password: string, headers: Record<string, string> = {}) {
  const response = await graph.request<{ login: Record<string, unknown> }>(op('Login'), { input: { email, password } }, { headers });
  return response.body.data!.login;
}

/** The auth service's argon2id parameters (OWASP: m=19 MiB, t=2, p=1). */
const ARGON2_PARAMETERS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** What one argon2 verification costs on this machine (the fastest of five, one at a time; half of it is the bound, as the suite runs files side by side). */
async function oneArgon2Verification(): Promise<number> {
  const hash = await argon2.hash('reference', ARGON2_PARAMETERS);
  const times: number[] = [];
  for (let run = 0; run < 5; run += 1) times.push(await timed(() => argon2.verify(hash, 'reference')));
  return Math.min(...times);
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

describe('lockout (default policy: 10 failures in 15 minutes)', () => {
  let graph: TestGraph;
  let user: SignedInUser;

  beforeAll(async () => {
    graph = await startTestGraph();
    user = await registerUser(graph, { email: 'locked.out@example.com', password: 'the one right password' });
  });
  afterAll(() => graph?.stop());

  it('is reset by a success', async () => {
    for (let attempt = 0; attempt < 9; attempt += 1) expect(await login(graph, user.email, 'wrong password here')).toEqual(INVALID);
    expect((await login(graph, user.email, user.password)).__typename).toBe('AuthSession');
    for (let attempt = 0; attempt < 9; attempt += 1) expect(await login(graph, user.email, 'wrong password here')).toEqual(INVALID);
    expect((await login(graph, user.email, user.password)).__typename).toBe('AuthSession');
  });

  it('locks after ten failures counted across case and Unicode variants, and then refuses the right password the same way, at the same cost', async () => {
    const variants = ['locked.out@example.com', 'LOCKED.OUT@EXAMPLE.COM', ' Locked.Out@Example.com ', 'ｌｏｃｋｅｄ.out@example.com'];
    for (let attempt = 0; attempt < 10; attempt += 1) expect(await login(graph, variants[attempt % variants.length]!, 'wrong password here')).toEqual(INVALID);
    expect(await login(graph, user.email, user.password)).toEqual(INVALID);
    // Not a speed target: proof that the refusal still spent an argon2 verification, so a locked account
    // answers no faster than an open one. One verification's cost is measured on the same machine (it
    // differs from machine to machine: 20 to 90 ms), at the service's parameters.
    expect(await timed(() => login(graph, user.email, user.password))).toBeGreaterThan(0.5 * (await oneArgon2Verification()));
    const [lockout] = await graph.sql`select count(*)::int as count from auth.audit_events where kind = 'lockout' and user_id = ${user.id}`;
    expect(lockout?.count).toBe(1);
  });

  it('checks at most ten concurrent guesses against the hash; the rest are refused as locked', async () => {
    const target = await registerUser(graph, { password: 'guess me if you can please' });
    const guesses = await Promise.all(Array.from({ length: 30 }, (_, index) => login(graph, target.email, `wrong guess number ${index}`)));
    expect(guesses).toEqual(Array(30).fill(INVALID));
    const reasons = await graph.sql<{ reason: string; count: number }[]>`
      select details->>'reason' as reason, count(*)::int as count from auth.audit_events
      where kind = 'sign_in_failed' and user_id = ${target.id} group by 1 order by 1`;
    expect(reasons).toEqual([
      { reason: 'locked', count: 20 },
      { reason: 'wrong_password', count: 10 },
    ]);
    expect(await login(graph, target.email, target.password)).toEqual(INVALID);
  });

  it('waits longer after each lockout, up to the cap', async () => {
    const waits = async () =>
      (await graph.sql<{ seconds: number }[]>`select extract(epoch from expire - now())::int as seconds from auth.rate_limits where key like 'lockout:failures:%' order by expire desc limit 1`)[0]?.seconds ?? 0;
    const first = await waits();
    expect(first).toBeGreaterThan(50);
    expect(first).toBeLessThanOrEqual(60);
    // Let the first lockout run out (time travel in the counter table), then fail ten times again
    // without a success in between (a success would reset the history too).
    await graph.sql`update auth.rate_limits set expire = now() - interval '1 second' where key like 'lockout:failures:%'`;
    for (let attempt = 0; attempt < 10; attempt += 1) expect(await login(graph, user.email, 'wrong password here')).toEqual(INVALID);
    expect(await login(graph, user.email, user.password)).toEqual(INVALID);
    const second = await waits();
    expect(second).toBeGreaterThan(110);
    expect(second).toBeLessThanOrEqual(120);
  });

  it('locks an identifier that has no account exactly as one that has', async () => {
    const nobody = `nobody-${randomUUID()}@example.com`;
    for (let attempt = 0; attempt < 11; attempt += 1) expect(await login(graph, nobody, 'whatever password')).toEqual(INVALID);
    const events = await graph.sql`select kind, user_id, details from auth.audit_events where kind = 'lockout' and user_id is null`;
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(nobody);
  });

  it('answers an unknown e-mail, a wrong password and an unverified sign-up identically and at argon2 cost', async () => {
    await graph.request(op('Register'), { input: { email: 'pending@example.com', password: 'a pending password' } });
    const outcomes = [
      await login(graph, `unknown-${randomUUID()}@example.com`, 'some password'),
      await login(graph, 'pending@example.com', 'a pending password'),
      await login(graph, (await registerUser(graph)).email, 'not the password'),
    ];
    expect(outcomes).toEqual([INVALID, INVALID, INVALID]);
    expect(await timed(() => login(graph, `unknown-${randomUUID()}@example.com`, 'some password'))).toBeGreaterThan(0.5 * (await oneArgon2Verification()));
  });
});

describe('rate limits (defaults)', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    graph = await startTestGraph({ rateLimits: 'defaults', env: { LOCKOUT_THRESHOLD: '1000' } });
  });
  afterAll(() => graph?.stop());

  it('counts every aliased call, so one request cannot multiply attempts (10 per identifier per minute)', async () => {
    const email = `aliases-${randomUUID()}@example.com`;
    const aliases = Array.from({ length: 10 }, (_, index) => `a${index}: login(input: { email: $email, password: "wrong password ${index}" }) { __typename }`);
    const burst = await graph.request<Record<string, { __typename: string }>>(`mutation($email: String!) { ${aliases.join('\n')} }`, { email });
    expect(Object.values(burst.body.data!).map((outcome) => outcome.__typename)).toEqual(Array(10).fill('InvalidCredentials'));
    const next = await login(graph, email, 'wrong password 11');
    expect(next).toEqual({ __typename: 'RateLimited', code: 'RATE_LIMITED', message: 'Too many attempts; try again later', retryAfterSeconds: expect.any(Number) });
    expect(next.retryAfterSeconds).toBeGreaterThan(50);
    expect(next.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('limits by client address, which a forged X-Forwarded-For does not change (30 per minute)', async () => {
    const fresh = await startTestGraph({ rateLimits: 'defaults', env: { LOCKOUT_THRESHOLD: '1000' } });
    try {
      const outcomes: string[] = [];
      for (let attempt = 0; attempt < 31; attempt += 1) {
        const forwarded = { 'x-forwarded-for': `198.51.100.${attempt}` };
        outcomes.push(String((await login(fresh, `ip-${randomUUID()}@example.com`, 'some password', forwarded)).__typename));
      }
      expect(outcomes.slice(0, 30)).toEqual(Array(30).fill('InvalidCredentials'));
      expect(outcomes[30]).toBe('RateLimited');
    } finally {
      await fresh.stop();
    }
  });

  it('lets twenty concurrent refreshes of one token through the default limits (one rotation)', async () => {
    const user = await registerUser(graph);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => graph.request<{ refreshSession: { __typename: string } }>(op('RefreshSession'), { refreshToken: user.refreshToken })),
    );
    expect(answers.map((answer) => answer.body.data!.refreshSession.__typename)).toEqual(Array(20).fill('AuthSession'));
  });

  it('limits sign-ups, reset and verification requests per address (3 per hour each)', async () => {
    const email = `limits-${randomUUID()}@example.com`;
    for (const [operation, variables, field] of [
      ['Register', { input: { email, password: 'a fine long passphrase' } }, 'register'],
      ['RequestPasswordReset', { email }, 'requestPasswordReset'],
      ['RequestEmailVerification', { email, password: 'a fine long passphrase' }, 'requestEmailVerification'],
    ] as const) {
      const outcomes = [];
      for (let attempt = 0; attempt < 4; attempt += 1) outcomes.push((await graph.request<Record<string, { __typename: string }>>(op(operation), variables)).body.data![field]!.__typename);
      expect(outcomes.slice(0, 3)).not.toContain('RateLimited');
      expect(outcomes[3]).toBe('RateLimited');
    }
  });
});

describe('counters shared by every replica', () => {
  for (const store of ['PostgreSQL', 'Redis'] as const) {
    it(`holds one count for two auth services (${store})`, async () => {
      // Replicas share AUTH_SECRET, from which the pseudonymous counter keys are derived.
      const env: Record<string, string> = {
        ...RELAXED_RATE_LIMITS,
        RATE_LIMIT_LOGIN_IDENTIFIER: '3/60',
        LOCKOUT_THRESHOLD: '1000',
        AUTH_SECRET: randomBytes(32).toString('base64url'),
      };
      if (store === 'Redis') Object.assign(env, { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `meridian-test-${randomUUID()}:` });
      const first = await startTestGraph({ env });
      const second = await startTestGraph({ env, database: first.database });
      try {
        const email = `replicas-${randomUUID()}@example.com`;
        const outcomes = [];
        for (const graph of [first, second, first, second]) outcomes.push((await login(graph, email, 'some password')).__typename);
        expect(outcomes).toEqual(['InvalidCredentials', 'InvalidCredentials', 'InvalidCredentials', 'RateLimited']);
      } finally {
        await second.stop();
        await first.stop();
      }
    });
  }
});
