import { eq } from 'drizzle-orm';
import { auditEvents } from '@meridian/db/auth';
import type { ClientInfo } from '@meridian/platform';
import type { AuthExecutor } from '../db.js';
import { coarseNetwork } from '../sessions/client-network.js';

export type AuditKind =
  | 'sign_in_succeeded'
  | 'sign_in_failed'
  | 'lockout'
  | 'refresh_reuse_detected'
  | 'session_revoked'
  | 'registration_requested'
  | 'email_verified'
  | 'password_reset_requested'
  | 'password_reset_completed'
  | 'password_changed'
  | 'email_change_requested'
  | 'email_changed'
  | 'account_deleted'
  | 'role_granted'
  | 'service_token_issued'
  | 'service_token_refused'
  | 'second_factor_enrolled'
  | 'second_factor_removed'
  | 'second_factor_failed'
  | 'recovery_code_used'
  | 'recovery_codes_generated'
  | 'reauthenticated';

export interface AuditEvent {
  kind: AuditKind;
  userId?: string | null;
  sessionId?: string | null;
  /** Never secrets: no passwords, tokens or hashes of them; e-mails only pseudonymized. */
  details?: Record<string, string | number | boolean | null>;
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;

/** `auth.audit_events`: written in the transaction of the change it records, or on its own for failures. */
export function createAuditTrail() {
  return {
    async record(executor: AuthExecutor, client: ClientInfo, event: AuditEvent): Promise<void> {
      await executor.insert(auditEvents).values({
        kind: event.kind,
        userId: event.userId ?? null,
        sessionId: event.sessionId ?? null,
        ipNetwork: coarseNetwork(client.ip),
        userAgent: client.userAgent?.slice(0, 256) ?? null,
        details: event.details ?? {},
      });
    },

    /**
     * Account deletion: the account's events stay (what happened, when, to which pseudonymous id), but
     * the networks and devices they came from go with the rest of the person's data.
     */
    async forget(executor: AuthExecutor, userId: string): Promise<void> {
      await executor.update(auditEvents).set({ ipNetwork: null, userAgent: null }).where(eq(auditEvents.userId, userId));
    },
  };
}
