import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph } from './support/graph.js';

const run = promisify(execFile);
let graph: TestGraph;

beforeAll(async () => {
  // As under `pnpm start`: no SMTP server, so mail is written to the data directory.
  graph = await startTestGraph({ env: { SMTP_URL: '' } });
});
afterAll(() => graph?.stop());

describe('README', () => {
  it('runs the first curl session as written', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const block = /<!-- first-session:start -->\s*```bash\n([\s\S]*?)```\s*<!-- first-session:end -->/.exec(readme)?.[1];
    expect(block).toContain('URL=http://localhost:4000/graphql');
    const script = block!.replace('URL=http://localhost:4000/graphql', `URL=${graph.routerUrl}`);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { env: { ...process.env, DATA_DIR: graph.dataDir } });
    const [register, verified, address, me] = stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(register).toEqual({ data: { register: { __typename: 'VerificationEmailSent' } } });
    expect(verified).toEqual({ data: { verifyEmail: { __typename: 'AuthSession', user: { id: expect.any(String), email: 'ada@example.com' } } } });
    expect(address).toEqual({ data: { addAddress: { __typename: 'AddressAdded', address: { id: expect.any(String), postalCode: 'SW1A 2AA', countryCode: 'GB' } } } });
    expect(me).toMatchObject({
      data: {
        me: {
          id: verified.data.verifyEmail.user.id,
          email: 'ada@example.com',
          profile: { displayName: 'Ada' },
          addresses: [{ fullName: 'Ada Lovelace', line1: '10 Downing Street', city: 'London', postalCode: 'SW1A 2AA', countryCode: 'GB' }],
        },
      },
    });
  });
});
