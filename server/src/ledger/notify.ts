import type pg from "pg";
import type { AccountRow } from "./accounts.js";

/**
 * Every posting announces the carrier accounts it changed on this channel, inside its
 * transaction: PostgreSQL delivers the notice only when (and if) the transaction
 * commits, and delivers notices in commit order. Credit control listens and applies
 * them to its in-memory copy, which keeps it within its staleness bound without polling.
 */
export const LEDGER_CHANNEL = "didtron_ledger";

export interface AccountNotice {
  id: string;
  tenantId: string;
  kind: string;
  carrierId: string;
  currency: string;
  /** The account's version after the posting: a copy applies a notice only if it is newer. */
  version: bigint;
  debitsPostedMicros: bigint;
  creditsPostedMicros: bigint;
  debitsPendingMicros: bigint;
  creditsPendingMicros: bigint;
  /** 24-hour spend the posting added to this account (may be negative: a reversal). */
  spendMicros: bigint;
  /** When the transfers were made (their created_at), epoch ms. */
  at: number;
}

// PostgreSQL caps a payload at 8000 bytes; one account is about 200.
const PER_NOTICE = 30;
type Wire = { t: string; at: number; a: [string, string, string, string, string, string, string, string, string, string][] };

/** Sends one notice per 30 changed carrier accounts, on the transaction's connection. */
export async function notifyAccounts(client: pg.PoolClient, params: { tenantId: string; at: number; accounts: AccountRow[]; spend: Map<string, bigint> }): Promise<void> {
  const rows = params.accounts.filter((a) => a.carrierId !== null);
  if (!rows.length) return;
  const payloads: string[] = [];
  for (let i = 0; i < rows.length; i += PER_NOTICE) {
    const wire: Wire = {
      t: params.tenantId,
      at: params.at,
      a: rows
        .slice(i, i + PER_NOTICE)
        .map((a) => [
          a.id,
          a.kind,
          a.carrierId!,
          a.currency,
          String(a.version),
          String(a.debitsPostedMicros),
          String(a.creditsPostedMicros),
          String(a.debitsPendingMicros),
          String(a.creditsPendingMicros),
          String(params.spend.get(a.id) ?? 0n),
        ]),
    };
    payloads.push(JSON.stringify(wire));
  }
  await client.query(`SELECT pg_notify('${LEDGER_CHANNEL}', p) FROM unnest($1::text[]) AS p`, [payloads]);
}

export function parseAccountNotices(payload: string): AccountNotice[] {
  const wire = JSON.parse(payload) as Wire;
  return wire.a.map(([id, kind, carrierId, currency, version, dp, cp, dq, cq, spend]) => ({
    id,
    tenantId: wire.t,
    kind,
    carrierId,
    currency,
    version: BigInt(version),
    debitsPostedMicros: BigInt(dp),
    creditsPostedMicros: BigInt(cp),
    debitsPendingMicros: BigInt(dq),
    creditsPendingMicros: BigInt(cq),
    spendMicros: BigInt(spend),
    at: wire.at,
  }));
}
