// The process launcher the system tests share: a service is ready only when it listens itself, not when
// another process answers on the port it was given.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, waitReady, type ServiceProcess } from './support/service-processes.js';

const servers: Server[] = [];
const children: ServiceProcess['child'][] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

async function answerReady(port: number): Promise<void> {
  const server = createServer((_req, res) => res.end('{"status":"ready"}'));
  servers.push(server);
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
}

function run(script: string): ServiceProcess {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { child, output };
}

describe('waitReady', () => {
  it("says the port was taken when the service cannot bind it, though another process answers /ready there", async () => {
    const port = await freePort();
    await answerReady(port);
    const service = run(`require('node:http').createServer().listen(${port}, '127.0.0.1').on('error', (e) => { console.error(e.message); process.exit(1); })`);
    await expect(waitReady(service, port, 10_000)).resolves.toBe('port-taken');
  });

  it('is ready once the service itself listens on the port and answers', async () => {
    const port = await freePort();
    const service = run(
      `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`,
    );
    await expect(waitReady(service, port, 10_000)).resolves.toBe('ready');
  });

  it('is not ready while another process answers on its port and the service itself does not listen yet', async () => {
    const port = await freePort();
    await answerReady(port);
    const service = run('setTimeout(() => {}, 60_000)');
    await expect(waitReady(service, port, 1_500)).rejects.toThrow(/did not become ready/);
  });

  it('fails with the output when the service exits for another reason', async () => {
    const port = await freePort();
    const service = run(`console.error('configuration error: DATABASE_URL is not set'); process.exit(1)`);
    await expect(waitReady(service, port, 10_000)).rejects.toThrow(/exited \(1\)[\s\S]*DATABASE_URL is not set/);
  });
});
