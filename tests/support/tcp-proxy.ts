import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  /** Resets every open connection (RST on both sides), as a pooler restart or a flaky network would. */
  resetAll(): number;
  /**
   * A cut: resets every open connection and leaves every new one unanswered until `restore()` (then
   * resets them), as a partition or a database host that is down behind an address that still accepts would.
   */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target`, so a test can break the connections between a
 * service and its database without touching either.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let down = false;
  const held = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (down) {
      held.add(client.on('error', () => {}).on('close', () => held.delete(client)));
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const finish = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', finish).on('close', finish);
    upstream.on('error', finish).on('close', finish);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  const resetAll = () => {
    const count = pairs.size;
    for (const [client, upstream] of pairs) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
    return count;
  };
  return {
    port,
    via: (url) => Object.assign(new URL(url), { hostname: '127.0.0.1', port: String(port) }).toString(),
    get connections() {
      return pairs.size;
    },
    resetAll,
    cut: () => {
      down = true;
      resetAll();
    },
    restore: () => {
      down = false;
      for (const client of held) client.resetAndDestroy();
      held.clear();
    },
    close: async () => {
      for (const client of held) client.destroy();
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
