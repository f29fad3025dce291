import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { jsonReply, startHttpService } from './http-service.js';

describe('graceful shutdown', () => {
  it('finishes in-flight requests, then refuses new connections', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const service = await startHttpService({
      logger: createLogger({ service: 'test', level: 'silent' }),
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1024,
      shutdownTimeoutMs: 5_000,
      routes: {
        '/slow': async () => {
          started();
          await gate;
          return jsonReply(200, { finished: true });
        },
      },
      graphql: async () => jsonReply(200, {}),
    });

    const slow = fetch(`${service.url}/slow`).then(async (response) => ({ status: response.status, body: await response.json() }));
    await inFlight;
    const closed = service.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`${service.url}/slow`)).rejects.toThrow();
    release();
    expect(await slow).toEqual({ status: 200, body: { finished: true } });
    await closed;
  });
});
