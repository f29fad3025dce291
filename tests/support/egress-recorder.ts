import diagnosticsChannel from 'node:diagnostics_channel';
import dgram from 'node:dgram';
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

/** One place the process tried to reach: a socket's peer or a name it asked DNS about. */
interface Attempt {
  /** e.g. `tcp 127.0.0.1:5432`, `unix /tmp/.s.PGSQL.5432`, `dns metadata.google.internal`. */
  label: string;
  /** The host or address contacted or looked up; null for a unix socket, which never leaves the machine. */
  host: string | null;
}

export interface EgressRecorder {
  /** The targets outside loopback and the hosts of `configuredUrls`. */
  unexpected(configuredUrls: string[]): string[];
  /** Every target tried so far with how often, one a line in the order first seen, for a human to compare runs. */
  report(): string;
  /** Puts every wrapped function back. */
  stop(): void;
}

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const DNS_QUERY = /^(lookup|lookupService|resolve\w*|reverse)$/;

function bareHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

function isLoopback(host: string): boolean {
  const family = net.isIP(host);
  if (family === 0) return host === 'localhost';
  return LOOPBACK.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

/** The peer of `socket.connect(...)`, from any of its call shapes (options, port + host, path, or net's normalized array). */
function connectTarget(args: unknown[]): Attempt {
  const [first, second] = args;
  const options = Array.isArray(first) ? first[0] : first;
  if (typeof options === 'object' && options !== null) {
    const { path, port, host } = options as { path?: string | null; port?: number | string; host?: string };
    // As net itself decides: http's agent passes `path: null` for a TCP connection.
    if (path) return { label: `unix ${path}`, host: null };
    const peer = bareHost(host ?? 'localhost');
    return { label: `tcp ${peer}:${port}`, host: peer };
  }
  if (typeof options === 'string' && !/^\d+$/.test(options)) return { label: `unix ${options}`, host: null };
  const peer = bareHost(typeof second === 'string' ? second : 'localhost');
  return { label: `tcp ${peer}:${String(options)}`, host: peer };
}

/** The peer of `socket.send(...)`, as dgram reads its arguments; null for a connected socket (seen at connect). */
function datagramTarget(socket: dgram.Socket, args: unknown[]): Attempt | null {
  try {
    // An unbound socket binds and then calls send again: the datagram is counted on that second call.
    socket.address();
  } catch {
    return null;
  }
  try {
    socket.remoteAddress();
    return null;
  } catch {
    // not connected: the peer is in the arguments
  }
  const [, offset, length, port, address] = args;
  const withRange = Boolean(address) || (Boolean(port) && typeof port !== 'function');
  const peerPort = withRange ? port : offset;
  const peerAddress = withRange ? address : length;
  const host = bareHost(typeof peerAddress === 'string' ? peerAddress : 'localhost');
  return { label: `udp ${host}:${String(peerPort)}`, host };
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Records every outgoing connection and DNS query of this process until `stop()`: TCP and unix
 * sockets (net.Socket#connect, which net.connect, http, tls, undici's fetch and postgres.js all
 * reach), UDP datagrams, and every function of node:dns and node:dns/promises that asks a resolver.
 * Sockets announced on the `net.client.socket` channel that never reach the wrapped connect are
 * reported too, so a path around the wrapper does not go unseen.
 */
export function recordEgress(): EgressRecorder {
  const attempts: Attempt[] = [];
  const restores: (() => void)[] = [];
  const connected = new WeakSet<object>();
  const announced = new Set<net.Socket>();

  function wrap(target: object, name: string, toAttempt: (self: unknown, args: unknown[]) => Attempt | null): void {
    const holder = target as Record<string, Method>;
    const original = holder[name];
    if (typeof original !== 'function') return;
    holder[name] = function (this: unknown, ...args: unknown[]) {
      const attempt = toAttempt(this, args);
      if (attempt) attempts.push(attempt);
      return original.apply(this, args);
    };
    restores.push(() => {
      holder[name] = original;
    });
  }

  wrap(net.Socket.prototype, 'connect', (socket, args) => {
    connected.add(socket as object);
    return connectTarget(args);
  });
  wrap(dgram.Socket.prototype, 'connect', (_, args) => {
    const host = bareHost(typeof args[1] === 'string' ? args[1] : 'localhost');
    return { label: `udp ${host}:${String(args[0])}`, host };
  });
  wrap(dgram.Socket.prototype, 'send', (socket, args) => datagramTarget(socket as dgram.Socket, args));
  const resolverOwners = [dns, dns.promises, dns.Resolver.prototype, dns.promises.Resolver.prototype] as object[];
  for (const owner of resolverOwners) {
    for (const name of Object.getOwnPropertyNames(owner).filter((key) => DNS_QUERY.test(key))) {
      wrap(owner, name, (_, args) => {
        const host = bareHost(String(args[0]));
        // Looking up an address asks no resolver (net.Server#listen does it with its host).
        if (name === 'lookup' && net.isIP(host) !== 0) return null;
        return { label: name === 'lookup' ? `dns ${host}` : `dns ${name} ${host}`, host };
      });
    }
  }
  // ESM named imports of node:dns read the module's exports as they were when last synced.
  syncBuiltinESMExports();

  const announce = (message: unknown) => {
    const { socket } = message as { socket: net.Socket };
    announced.add(socket);
  };
  diagnosticsChannel.subscribe('net.client.socket', announce);
  restores.push(() => diagnosticsChannel.unsubscribe('net.client.socket', announce));

  function all(): Attempt[] {
    const unseen = [...announced].filter((socket) => !connected.has(socket));
    return [
      ...attempts,
      ...unseen.map((socket) => {
        const host = socket.remoteAddress ? bareHost(socket.remoteAddress) : '<unknown>';
        return { label: `tcp ${host}:${socket.remotePort ?? '?'} (announced, connect not seen)`, host };
      }),
    ];
  }

  function targets(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { label } of all()) counts.set(label, (counts.get(label) ?? 0) + 1);
    return counts;
  }

  return {
    unexpected(configuredUrls) {
      const configured = new Set(configuredUrls.map((url) => bareHost(new URL(url).hostname)));
      const outside = all().filter(({ host }) => host !== null && !isLoopback(host) && !configured.has(host));
      return [...new Set(outside.map(({ label }) => label))];
    },
    report: () => [...targets()].map(([label, count]) => `${String(count).padStart(5)}  ${label}`).join('\n'),
    stop() {
      for (const restore of restores.reverse()) restore();
      syncBuiltinESMExports();
    },
  };
}
