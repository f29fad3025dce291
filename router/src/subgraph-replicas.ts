import { BalancedPool } from 'undici';
import type { Logger } from '@meridian/platform';

/** A replica's `/ready` answers within a second by design (README, Operations: Health). */
const READY_TIMEOUT_MS = 1_000;

export interface SubgraphReplicasOptions {
  subgraph: string;
  /** Every replica's URL (`<NAME>_SUBGRAPH_URL`), all on the same path. */
  urls: readonly string[];
  /** How long a failing replica is left out at first; each failed readiness probe doubles it… */
  ejectionMs: number;
  /** …up to this. */
  ejectionMaxMs: number;
  log?: Logger;
}

export interface SubgraphReplicas {
  readonly subgraph: string;
  readonly urls: readonly string[];
  /** Balances requests over the replicas in service, each with its own keep-alive connection pool. */
  readonly pool: BalancedPool;
  /** The URL of a replica in service, in turn: for the router's own calls that do not go through `pool` (the pollers). */
  pick(): string;
  /** A call failed without saying which replica failed it (a reset connection, a 502/503/504): checks every replica now. */
  suspect(): void;
  /**
   * Asks every replica's `/ready`: ejects those in service that are not ready, takes back those left
   * out that are. Resolves whether at least one replica is ready.
   */
  probe(): Promise<boolean>;
  close(): Promise<void>;
}

interface Replica {
  url: string;
  origin: string;
  ejected: boolean;
  /** Readiness probes failed since the replica was left out: each doubles the wait for the next. */
  failedProbes: number;
  timer?: NodeJS.Timeout;
}

/**
 * The replicas of one subgraph behind undici's `BalancedPool`, with health-based ejection: a replica
 * is taken out of the pool (`removeUpstream`) when a connection to it cannot be made (refused, timed
 * out, unresolvable; the pool's `connectionError` names it) or when its `/ready` does not answer 200;
 * after `ejectionMs` its `/ready` is asked again, and it is added back (`addUpstream`) at the first
 * 200, otherwise left out twice as long, up to `ejectionMaxMs`. The last replica in service is never
 * taken out: with every replica failing, calls still go to one of them rather than nowhere.
 *
 * The pool alone would not do: its error weighting never lets a weight fall below 1, so a dead
 * replica keeps getting a share of the calls, and it cannot tell which replica answered a call, so
 * the failures it does not see itself are attributed through `/ready` (`suspect`).
 */
export function createSubgraphReplicas(options: SubgraphReplicasOptions): SubgraphReplicas {
  const replicas: Replica[] = options.urls.map((url) => ({ url, origin: new URL(url).origin, ejected: false, failedProbes: 0 }));
  const pool = new BalancedPool(
    replicas.map((replica) => replica.origin),
    { connections: 64, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 },
  );
  const log = options.log?.child({ component: 'subgraph-replicas', subgraph: options.subgraph });
  let turn = 0;
  let sweep: Promise<boolean> | undefined;
  let lastSuspicion = 0;
  let closed = false;

  const inService = () => replicas.filter((replica) => !replica.ejected);

  async function isReady(replica: Replica): Promise<boolean> {
    try {
      const response = await fetch(new URL('/ready', replica.url), { signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  function scheduleProbe(replica: Replica): void {
    const waitMs = Math.min(options.ejectionMs * 2 ** replica.failedProbes, options.ejectionMaxMs);
    replica.timer = setTimeout(async () => {
      if (closed || !replica.ejected) return;
      if (await isReady(replica)) readmit(replica);
      else {
        replica.failedProbes += 1;
        if (!closed && replica.ejected) scheduleProbe(replica);
      }
    }, waitMs);
    replica.timer.unref();
  }

  function eject(replica: Replica, reason: string): void {
    if (closed || replica.ejected || inService().length <= 1) return;
    replica.ejected = true;
    replica.failedProbes = 0;
    pool.removeUpstream(replica.origin);
    log?.warn({ replica: replica.url, reason, forMs: options.ejectionMs }, 'subgraph replica left out of service');
    scheduleProbe(replica);
  }

  function readmit(replica: Replica): void {
    if (closed || !replica.ejected) return;
    clearTimeout(replica.timer);
    replica.ejected = false;
    pool.addUpstream(replica.origin);
    log?.info({ replica: replica.url }, 'subgraph replica back in service');
  }

  pool.on('connectionError', (origin, _targets, error) => {
    const replica = replicas.find((candidate) => candidate.origin === new URL(origin).origin);
    if (replica) eject(replica, (error as { code?: string }).code ?? error.message);
  });

  async function probe(): Promise<boolean> {
    sweep ??= (async () => {
      const ready = await Promise.all(replicas.map(isReady));
      replicas.forEach((replica, index) => (ready[index] ? readmit(replica) : eject(replica, 'not ready')));
      return ready.some(Boolean);
    })().finally(() => (sweep = undefined));
    return sweep;
  }

  return {
    subgraph: options.subgraph,
    urls: options.urls,
    pool,
    pick() {
      const candidates = inService();
      turn = (turn + 1) % candidates.length;
      return candidates[turn]!.url;
    },
    suspect() {
      // Failing calls come in bursts: one look at the replicas per ejectionMs is enough.
      if (Date.now() - lastSuspicion < options.ejectionMs) return;
      lastSuspicion = Date.now();
      void probe();
    },
    probe,
    async close() {
      closed = true;
      for (const replica of replicas) clearTimeout(replica.timer);
      await pool.close();
    },
  };
}
