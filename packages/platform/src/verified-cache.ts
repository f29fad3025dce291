/**
 * Remembers what a token verified to, until the token expires, for at most `capacity` tokens (least
 * recently used go first). Signature checks are the dearest part of a small request; a client sends
 * the same token for minutes, and the router reuses its router tokens.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAtMs: number }>();

  constructor(private readonly capacity: number) {}

  get(token: string, nowMs = Date.now()): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (entry.expiresAtMs <= nowMs) return undefined;
    this.entries.set(token, entry);
    return entry.value;
  }

  set(token: string, value: T, expiresAtMs: number, nowMs = Date.now()): void {
    this.entries.delete(token);
    this.entries.set(token, { value, expiresAtMs });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.forgetExpired(nowMs);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Drops expired tokens from the least recently used end, a few per `set`: without it a cache of
   * short-lived tokens (router tokens live a minute) keeps up to `capacity` dead ones for as long as
   * the process runs, which reads as a leak in a soak.
   */
  private forgetExpired(nowMs: number): void {
    let checked = 0;
    for (const [token, entry] of this.entries) {
      if (entry.expiresAtMs > nowMs || ++checked > 4) return;
      this.entries.delete(token);
    }
  }
}
