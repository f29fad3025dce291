import type { ClientInfo, Logger, Viewer } from '@meridian/platform';

/** The router's per-request context: what the edge verified, and what every subgraph call carries on. */
export interface RouterContext {
  requestId: string;
  /** The caller's verified access token, forwarded to subgraphs as is. */
  accessToken: string | undefined;
  viewer: Viewer | null;
  client: ClientInfo;
  log: Logger;
}
