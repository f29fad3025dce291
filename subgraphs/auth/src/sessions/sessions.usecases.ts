import { randomUUID } from 'node:crypto';
import { isUuid, notFound, rateLimited, unauthenticatedError, type ClientInfo, type Logger, type Viewer } from '@meridian/platform';
import type { Account } from '../accounts/accounts.model.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { AuditTrail } from '../audit/audit.repository.js';
import type { AuthDb, AuthExecutor } from '../db.js';
import type { RateLimits } from '../protection/rate-limits.js';
import { isOpaqueTokenShaped, keyedHash, newOpaqueToken, sha256 } from '../tokens/opaque-token.js';
import type { AccessTokenIssuer } from './access-token.issuer.js';
import { coarseNetwork, deviceLabel } from './client-network.js';
import type { IssuedSession, SessionSummary } from './sessions.model.js';
import type { SessionProof, SessionsRepository } from './sessions.repository.js';

/** RFC 8176 method references: a password, a one-time code, a hardware-bound key (passkey), and more than one factor. */
export type AuthenticationMethod = 'pwd' | 'otp' | 'hwk' | 'mfa';

const PASSWORD_ONLY: AuthenticationMethod[] = ['pwd'];
const ADMIN_ROLE = 'admin';

export const invalidRefreshToken = () =>
  ({ __typename: 'InvalidRefreshToken', code: 'INVALID_REFRESH_TOKEN', message: 'This refresh token cannot be used; sign in again' }) as const;

export type RefreshOutcome = IssuedSession | ReturnType<typeof invalidRefreshToken> | ReturnType<typeof rateLimited>;

export interface SessionPolicy {
  refreshTokenTtlSeconds: number;
  sessionMaxAgeSeconds: number;
  refreshReuseGraceSeconds: number;
}

export type SessionUseCases = ReturnType<typeof createSessionUseCases>;

export function createSessionUseCases(deps: {
  db: AuthDb;
  sessions: SessionsRepository;
  accounts: AccountsRepository;
  issuer: AccessTokenIssuer;
  audit: AuditTrail;
  rateLimits: RateLimits;
  policy: SessionPolicy;
  /** Derives a refresh token's successor from it (HMAC), so a retry inside the grace window gets the same successor. */
  successorKey: Buffer;
  /** Normalized addresses whose accounts are made admins when they sign in (ADMIN_EMAILS): how an operator bootstraps the first admin. */
  adminEmails?: ReadonlySet<string>;
  /** ADMIN_REQUIRE_MFA: a session that did not use a second factor gets no `admin` role in its tokens. */
  adminRequiresMfa?: boolean;
  log: Logger;
  now?: () => Date;
}) {
  const { db, sessions, accounts, issuer, audit, policy } = deps;
  const now = deps.now ?? (() => new Date());
  const successorOf = (refreshToken: string) => keyedHash(deps.successorKey, refreshToken);

  /**
   * The roles a session's tokens carry: the account's, but with ADMIN_REQUIRE_MFA not `admin` unless the
   * session used a second factor, so every admin-only field of every subgraph refuses it.
   */
  function tokenRoles(account: Account, proof: SessionProof): string[] {
    if (!deps.adminRequiresMfa || proof.amr.includes('mfa')) return account.roles;
    return account.roles.filter((role) => role !== ADMIN_ROLE);
  }

  async function accessFor(account: Account, sessionId: string, proof: SessionProof) {
    const roles = tokenRoles(account, proof);
    const authTime = Math.floor(proof.authTime.getTime() / 1000);
    const viewer: Viewer = { userId: account.id, sessionId, roles, authTime, amr: proof.amr };
    const access = await issuer.issue({ userId: account.id, sessionId, roles, authTime, amr: proof.amr });
    return { viewer, access };
  }

  async function respond(account: Account, sessionId: string, proof: SessionProof, refreshToken: string, refreshTokenExpiresAt: Date): Promise<IssuedSession> {
    const { viewer, access } = await accessFor(account, sessionId, proof);
    return { __typename: 'AuthSession', viewer, accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, refreshTokenExpiresAt, user: account };
  }

  function refreshExpiry(at: Date, sessionExpiresAt: Date): Date {
    return new Date(Math.min(at.getTime() + policy.refreshTokenTtlSeconds * 1000, sessionExpiresAt.getTime()));
  }

  async function endSessions(tx: AuthExecutor, ids: string[], userId: string, client: ClientInfo, reason: string): Promise<void> {
    for (const sessionId of ids) await audit.record(tx, client, { kind: 'session_revoked', userId, sessionId, details: { reason } });
  }

  return {
    /** Opens a session for an account that just proved who it is (by `amr`); runs inside the caller's transaction. */
    async start(tx: AuthExecutor, signingIn: Account, client: ClientInfo, amr: AuthenticationMethod[] = PASSWORD_ONLY): Promise<IssuedSession> {
      let account = signingIn;
      if (deps.adminEmails?.has(account.email) && !account.roles.includes('admin')) {
        account = { ...account, roles: await accounts.grantRole(tx, account.id, 'admin') };
        await audit.record(tx, client, { kind: 'role_granted', userId: account.id, details: { role: 'admin', by: 'ADMIN_EMAILS' } });
      }
      const at = now();
      const expiresAt = new Date(at.getTime() + policy.sessionMaxAgeSeconds * 1000);
      const proof: SessionProof = { authTime: at, amr };
      const sessionId = await sessions.create(tx, {
        ...proof,
        userId: account.id,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
        deviceLabel: deviceLabel(client.userAgent),
        ipNetwork: coarseNetwork(client.ip),
        expiresAt,
      });
      const refreshToken = newOpaqueToken();
      const refreshExpiresAt = refreshExpiry(at, expiresAt);
      await sessions.addRefreshToken(tx, { sessionId, tokenHash: sha256(refreshToken), expiresAt: refreshExpiresAt });
      return respond(account, sessionId, proof, refreshToken, refreshExpiresAt);
    },

    /** Step-up: the viewer's session proved who it is again; a new access token carries the new `auth_time` and `amr`. */
    async reprove(tx: AuthExecutor, viewer: Viewer, account: Account, amr: AuthenticationMethod[]) {
      const at = now();
      const proof: SessionProof = { authTime: at, amr };
      if (!(await sessions.prove(tx, viewer.sessionId, account.id, proof, at))) return null;
      return accessFor(account, viewer.sessionId, proof);
    },

    /**
     * Exchanges a refresh token for a new pair (rotation). Presenting an exchanged token again within
     * the grace window returns the same successor (a retry, or two tabs refreshing at once); after it,
     * or once the successor was itself used, it is a replay: the whole session ends (RFC 9700 4.14.2).
     */
    async refresh(refreshToken: string | null, client: ClientInfo): Promise<RefreshOutcome> {
      const family = refreshToken !== null && isOpaqueTokenShaped(refreshToken) ? sha256(refreshToken) : null;
      // Counted per session (the token family), which every rotation keeps.
      const sessionOfToken = family ? await sessions.familyOf(family) : null;
      const rate = await deps.rateLimits.consume('refresh', { ip: client.ip, identifier: sessionOfToken });
      if (!rate.ok) return rateLimited(rate.retryAfterSeconds);
      if (refreshToken === null || !family || !sessionOfToken) return invalidRefreshToken();
      const at = now();
      const successor = successorOf(refreshToken);
      return db.transaction(async (tx) => {
        const successorId = randomUUID();
        const rotated = await sessions.rotate(tx, family, successorId, at);
        if (rotated) {
          const [account] = await accounts.findByIds([rotated.userId], tx);
          if (!account) return invalidRefreshToken();
          const successorExpiresAt = refreshExpiry(at, rotated.sessionExpiresAt);
          await sessions.addRefreshToken(tx, { id: successorId, sessionId: rotated.sessionId, tokenHash: sha256(successor), expiresAt: successorExpiresAt });
          await sessions.touch(tx, rotated.sessionId, at);
          return respond(account, rotated.sessionId, rotated.proof, successor, successorExpiresAt);
        }

        const state = await sessions.inspect(tx, family);
        if (!state || state.sessionRevokedAt || state.sessionExpiresAt <= at || !state.usedAt) return invalidRefreshToken();
        const withinGrace = at.getTime() - state.usedAt.getTime() <= policy.refreshReuseGraceSeconds * 1000;
        if (withinGrace && state.successor && !state.successor.usedAt && state.successor.expiresAt > at) {
          const [account] = await accounts.findByIds([state.userId], tx);
          return account ? respond(account, state.sessionId, state.proof, successor, state.successor.expiresAt) : invalidRefreshToken();
        }
        await sessions.revoke(tx, state.sessionId, at);
        await audit.record(tx, client, { kind: 'refresh_reuse_detected', userId: state.userId, sessionId: state.sessionId });
        await endSessions(tx, [state.sessionId], state.userId, client, 'refresh_token_reused');
        deps.log.warn({ sessionId: state.sessionId }, 'refresh token replayed: session revoked');
        return invalidRefreshToken();
      });
    },

    /**
     * Ends the session of `refreshToken` (any token the session had: an exchanged one ends it too, as
     * its replay would), else the viewer's. A browser signs out with its refresh cookie alone, after its
     * access token expired.
     */
    async logout(credentials: { refreshToken: string | null; viewer: Viewer | null }, client: ClientInfo) {
      const { refreshToken, viewer } = credentials;
      if (refreshToken === null && viewer === null) throw unauthenticatedError('Sign in, or give the refresh token of the session to end');
      const family = refreshToken !== null && isOpaqueTokenShaped(refreshToken) ? sha256(refreshToken) : null;
      return db.transaction(async (tx) => {
        const state = family ? await sessions.inspect(tx, family) : null;
        const ending = state ? { sessionId: state.sessionId, userId: state.userId } : viewer;
        if (!ending) return invalidRefreshToken();
        if (await sessions.revoke(tx, ending.sessionId, now(), ending.userId)) {
          await endSessions(tx, [ending.sessionId], ending.userId, client, 'logout');
        }
        return { __typename: 'LoggedOut', sessionId: ending.sessionId } as const;
      });
    },

    async revoke(viewer: Viewer, sessionId: string, client: ClientInfo) {
      if (!isUuid(sessionId)) return notFound('No such session');
      const user = await db.transaction(async (tx) => {
        if (!(await sessions.revoke(tx, sessionId, now(), viewer.userId))) return null;
        await endSessions(tx, [sessionId], viewer.userId, client, 'revoked_by_user');
        const [account] = await accounts.findByIds([viewer.userId], tx);
        return account ?? null;
      });
      // The id as stored, so it matches the id the client has cached whatever case it was sent in.
      return user ? ({ __typename: 'SessionRevoked', id: sessionId.toLowerCase(), user } as const) : notFound('No such session');
    },

    async logoutEverywhere(viewer: Viewer, client: ClientInfo) {
      const count = await db.transaction(async (tx) => {
        const ended = await sessions.revokeAll(tx, viewer.userId, now());
        await endSessions(tx, ended, viewer.userId, client, 'logout_everywhere');
        return ended.length;
      });
      return { __typename: 'SessionsEnded', count } as const;
    },

    /** Ends every session of a user but `keep` (password changed or reset); inside the caller's transaction. */
    async endAllOf(tx: AuthExecutor, userId: string, client: ClientInfo, reason: string, keep?: string): Promise<number> {
      const ended = await sessions.revokeAll(tx, userId, now(), keep);
      await endSessions(tx, ended, userId, client, reason);
      return ended.length;
    },

    isLive: (tx: AuthExecutor, viewer: Viewer) => sessions.isLive(tx, viewer.sessionId, viewer.userId, now()),

    /** The live sessions of `userId`, for that user only: anyone else, admins included, gets an empty list. */
    async listOf(viewer: Viewer, userId: string): Promise<SessionSummary[]> {
      if (viewer.userId !== userId) return [];
      const rows = await sessions.listLive(viewer.userId, now());
      return rows.map(({ deviceLabel: device, ...row }) => ({ ...row, device, current: row.id === viewer.sessionId }));
    },

    revokedAfter: (after: string | null, notBefore: Date) => sessions.revokedAfter(after, notBefore),
  };
}
