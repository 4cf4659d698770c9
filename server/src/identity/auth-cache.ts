import type { Principal } from "./principal.js";

/**
 * How long a resolved caller (API key or session) is trusted without asking PostgreSQL
 * again. This is the staleness bound for changes made by ANOTHER app instance (or
 * directly in the database): a revoked key, an ended session, a deactivated user or a
 * role change is honoured there within this time. Changes made through this instance's
 * identity API clear the cache at once (see `identityRoutes`).
 */
export const AUTH_CACHE_TTL_MS = 2_000;
/** A bound on memory if many distinct tokens arrive; past it, the cache starts over. */
const MAX_ENTRIES = 10_000;

export interface Resolved {
  principal: Principal;
  /** When the key or session expires (ms since epoch), null for never: the entry never outlives it. */
  expiresAtMs: number | null;
}

/**
 * Resolved callers by token hash, so the hot path (the switch asking for a route
 * decision thousands of times a second with one key) skips the database round trip.
 * Unknown, revoked and expired tokens are never cached: each is looked up again. A cached
 * principal is shared by every request it answers (nothing mutates a principal).
 */
export class AuthCache {
  private readonly entries = new Map<string, { principal: Principal; untilMs: number }>();
  /** Bumped by clear(): a lookup that started before a clear must not store its (possibly stale) answer. */
  private generation = 0;

  constructor(private readonly ttlMs = AUTH_CACHE_TTL_MS) {}

  async resolve(key: string, load: () => Promise<Resolved | null>): Promise<Principal | null> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.untilMs > now) return hit.principal;
    if (hit) this.entries.delete(key);
    const generation = this.generation;
    const found = await load();
    if (!found) return null;
    if (generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { principal: found.principal, untilMs: Math.min(now + this.ttlMs, found.expiresAtMs ?? Infinity) });
    }
    return found.principal;
  }

  /** Forgets every resolved caller (after any committed identity change in this instance). */
  clear(): void {
    this.entries.clear();
    this.generation += 1;
  }
}
