import pg from "pg";
import { sql } from "drizzle-orm";
import { createDb, inTransaction, type Db } from "../platform/db/client.js";
import { spendRows } from "../ledger/balances.js";
import { LEDGER_CHANNEL, parseAccountNotices, type AccountNotice } from "../ledger/notify.js";
import { postTransfers, type PostResult } from "../ledger/post.js";
import { releaseKey } from "../ledger/reservations.js";
import { LedgerRuleError, type AccountTotals, type TransferRequest } from "../ledger/engine/index.js";
import type { CreditGate, CreditRequest, CreditVerdict } from "./gate.js";
import { ZERO_TOTALS, decideCustomer, decideSupplier, reservationMicros, spendWindowStart, type CarrierCredit } from "./engine/decide.js";
import { SpendWindow } from "./engine/spend-window.js";

/** Carriers' credit settings changed (a trigger on `carriers` sends "tenantId:carrierId"). */
export const CREDIT_SETTINGS_CHANNEL = "didtron_credit_settings";

export interface CreditControlOptions {
  /** A call's reservation covers this many seconds at its rate unless the caller names its own maximum. */
  reservationSeconds: number;
  /** The least a reservation holds (also the reservation of a call whose rate is zero). */
  minimumReservationMicros: bigint;
  /** While the listening connection is down: how often to retry it (and reload everything when it is back). */
  reconnectMs: number;
  /** How long after its call's maximum duration a reservation waits for the call's CDR before it may expire. */
  reservationGraceS: number;
}
export const DEFAULT_CREDIT_OPTIONS: CreditControlOptions = { reservationSeconds: 3_600, minimumReservationMicros: 0n, reconnectMs: 500, reservationGraceS: 600 };

export interface ReserveRequest extends CreditRequest {
  /** Identifies the call attempt (e.g. switch, call id and attempt): reserving it again returns the same reservation. */
  callKey: string;
  /** The call's maximum duration (the interconnect's Max Call Duration); defaults to `reservationSeconds`. */
  maxDurationS?: number;
}
export type ReserveResult = { ok: true; reservationId: string; amountMicros: bigint; replayed: boolean } | { ok: false; verdict: Extract<CreditVerdict, { allowed: false }> };

interface AccountState {
  id: string;
  version: bigint;
  totals: AccountTotals;
  spend: SpendWindow;
}
interface Hold {
  amountMicros: bigint;
  /** The hold ends once the in-memory account reaches this version (it then shows the reservation itself). */
  accountId: string | null;
  untilVersion: bigint | null;
}

const key = (tenantId: string, carrierId: string) => `${tenantId}|${carrierId}`;
const accountKey = (tenantId: string, carrierId: string, kind: string, currency: string) => `${tenantId}|${carrierId}|${kind}|${currency}`;

type ReservationTransfer = Extract<TransferRequest, { op: "call_charge" }>;
interface PostedReservation {
  transfer: PostResult["results"][number]["transfers"][number];
  replayed: boolean;
  accounts: PostResult["accounts"];
}
interface QueuedReservation {
  transfer: ReservationTransfer;
  waiters: { resolve: (p: PostedReservation) => void; reject: (err: unknown) => void }[];
}
/** Most reservations posted in one transaction. */
const RESERVATION_BATCH = 200;

/**
 * Credit control: the `CreditGate` the routing decision calls, answering from memory.
 *
 * It keeps every carrier account's totals and 24-hour spend, and every carrier's credit
 * settings, in memory. Postings announce changed accounts (with their new totals and
 * version) on LISTEN/NOTIFY in their own transaction, so a committed posting reaches
 * the gate within milliseconds; a trigger announces carrier setting changes. Staleness
 * bound: a commit is visible to `check` as soon as its notice is processed (measured
 * in credit.test.ts, well under the 1 s target); if the listening connection drops, the
 * gate reconnects every `reconnectMs` and reloads everything, and meanwhile answers
 * from its last state while `reserve` (which needs the database) refuses nothing it
 * cannot also post.
 *
 * `reserve` turns an allowed call into a pending ledger transfer. Its amount is held in
 * memory from the moment of the decision until the account's notice shows it, so
 * concurrent calls in this process see each other's reservations; across processes
 * the posting itself refuses (`creditLimitMicros`, under the account's row lock) what
 * the balance and credit limit do not cover.
 */
export class CreditControl implements CreditGate {
  private readonly db: Db;
  readonly options: CreditControlOptions;
  private readonly carriers = new Map<string, CarrierCredit>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly accountIds = new Map<string, string>();
  private readonly holds = new Map<string, Hold[]>();
  private listener: pg.Client | null = null;
  private buffered: pg.Notification[] | null = null;
  private settingsQueue: Promise<void> = Promise.resolve();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private lastNoticeAt = 0;
  private loadedAt = 0;
  private readonly accountListeners: ((notice: AccountNotice) => void)[] = [];
  /** Reservations waiting for their account's posting in flight, by customer account. */
  private readonly reservationQueues = new Map<string, QueuedReservation[]>();

  constructor(
    private readonly pool: pg.Pool,
    options: Partial<CreditControlOptions> = {},
  ) {
    this.db = createDb(pool);
    this.options = { ...DEFAULT_CREDIT_OPTIONS, ...options };
  }

  /** Listens, then loads everything; notices arriving during the load are applied after it. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => {});
    await this.settingsQueue;
  }

  /** Called with every newer account notice, after the gate applied it (credit alerts follow balances this way). */
  onAccountChange(listener: (notice: AccountNotice) => void): void {
    this.accountListeners.push(listener);
  }

  /** For operators and tests: is it listening, how big is it, when did it last hear from the ledger. */
  status() {
    return { listening: this.listener !== null, carriers: this.carriers.size, accounts: this.accounts.size, loadedAt: this.loadedAt, lastNoticeAt: this.lastNoticeAt };
  }

  // ── The gate ──

  check(request: CreditRequest): CreditVerdict {
    return this.decide(request, this.reservationOf(request, this.options.reservationSeconds));
  }

  /** May calls go to this supplier (its 24-hour supplier spend limit)? Not part of CreditGate: routing may call it per candidate. */
  checkSupplier(request: { tenantId: string; carrierId: string; currency: string; costMicros: bigint; at: number }): CreditVerdict {
    const carrier = this.carriers.get(key(request.tenantId, request.carrierId));
    const account = this.account(request.tenantId, request.carrierId, "supplier", request.currency);
    const spend = account ? account.spend.sumAfter(spendWindowStart(request.at, carrier?.supplierSpendResetAtMs ?? null)) : 0n;
    return decideSupplier({ carrier, currency: request.currency, spend24hMicros: spend, costMicros: request.costMicros });
  }

  /**
   * Reserves what the call may cost as a pending ledger transfer, if the gate allows
   * it. Settle it when the CDR is rated (`settle_pending` in the rating batch, or
   * `settle`), or `release` it when the call fails.
   */
  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const amount = this.reservationOf(request, request.maxDurationS ?? this.options.reservationSeconds);
    const verdict = this.decide(request, amount);
    if (!verdict.allowed) return { ok: false, verdict };
    const carrier = this.carriers.get(key(request.tenantId, request.carrierId))!;
    const hold: Hold = { amountMicros: amount, accountId: null, untilVersion: null };
    const holdKey = accountKey(request.tenantId, request.carrierId, "customer", request.currency);
    this.holds.set(holdKey, [...(this.holds.get(holdKey) ?? []), hold]);
    try {
      const posted = await this.postReservation(request.tenantId, holdKey, {
        op: "call_charge",
        pending: true,
        key: `reserve:${request.callKey}`,
        carrierId: request.carrierId,
        currency: request.currency,
        amountMicros: amount,
        creditLimitMicros: request.currency === carrier.primaryCurrency ? carrier.customerCreditLimitMicros : 0n,
        reference: { type: "call", id: request.callKey },
        // Past the call's longest possible life the expiry job may void it (a lost CDR).
        timeoutS: (request.maxDurationS ?? this.options.reservationSeconds) + this.options.reservationGraceS,
      });
      const transfer = posted.transfer;
      const account = posted.replayed ? undefined : posted.accounts.find((a) => a.id === transfer.debitAccountId);
      if (account) {
        hold.accountId = account.id;
        hold.untilVersion = account.version;
        this.releaseHolds(holdKey);
      } else this.dropHold(holdKey, hold); // a replay: the reservation is already in the totals
      return { ok: true, reservationId: transfer.id, amountMicros: transfer.amountMicros, replayed: posted.replayed };
    } catch (err) {
      this.dropHold(holdKey, hold);
      if (err instanceof LedgerRuleError && err.code === "credit_limit_exceeded") {
        const reason = carrier.customerCreditType === "prepaid" ? "insufficient_balance" : "credit_limit";
        return { ok: false, verdict: { allowed: false, reason, detail: "the balance and credit limit do not cover the reservation (refused by the ledger)" } };
      }
      throw err;
    }
  }

  /**
   * Group commit: a reservation is posted at once when none of its account is in flight;
   * the ones arriving meanwhile wait and go together in the next transaction. Each
   * posting locks the customer's account row until it commits, so one transaction per
   * call would queue every call of a busy customer on that lock, one commit at a time.
   * A refused transfer (the credit limit) gets its error and the rest of its batch goes
   * again; a key already waiting (a retried call) shares that wait and is a replay.
   */
  private postReservation(tenantId: string, queueKey: string, transfer: ReservationTransfer): Promise<PostedReservation> {
    return new Promise((resolve, reject) => {
      const waiting = this.reservationQueues.get(queueKey);
      const same = waiting?.find((q) => q.transfer.key === transfer.key);
      if (same) same.waiters.push({ resolve: (p) => resolve({ ...p, replayed: true }), reject });
      else if (waiting) waiting.push({ transfer, waiters: [{ resolve, reject }] });
      else {
        this.reservationQueues.set(queueKey, [{ transfer, waiters: [{ resolve, reject }] }]);
        void this.flushReservations(tenantId, queueKey);
      }
    });
  }

  private async flushReservations(tenantId: string, queueKey: string): Promise<void> {
    const queue = this.reservationQueues.get(queueKey)!;
    while (queue.length) await this.postReservations(tenantId, queue.splice(0, RESERVATION_BATCH));
    this.reservationQueues.delete(queueKey);
  }

  private async postReservations(tenantId: string, batch: QueuedReservation[]): Promise<void> {
    try {
      const result = await inTransaction(this.pool, async (tx) => {
        // Asynchronous commit: the call does not wait for the WAL flush. A PostgreSQL crash
        // can lose the last ~0.6 s (3 × wal_writer_delay) of reservations, atomically: those
        // calls then hold nothing (a bounded overrun, like a gate that is briefly stale) and
        // their CDRs void nothing. A reservation is a hold that expires anyway; charges and
        // every other posting stay synchronous.
        await tx.$client.query("SET LOCAL synchronous_commit = off");
        return postTransfers(tx, { tenantId, transfers: batch.map((q) => q.transfer) });
      });
      batch.forEach((q, i) => {
        const [first, ...rest] = q.waiters;
        const posted = { transfer: result.results[i]!.transfers[0]!, replayed: result.results[i]!.replayed, accounts: result.accounts };
        first!.resolve(posted);
        for (const w of rest) w.resolve(posted);
      });
    } catch (err) {
      if (err instanceof LedgerRuleError && err.index !== null && batch.length > 1) {
        for (const w of batch[err.index]!.waiters) w.reject(err);
        await this.postReservations(tenantId, batch.filter((_, i) => i !== err.index));
      } else for (const q of batch) for (const w of q.waiters) w.reject(err);
    }
  }

  /** The call failed: void its reservation. */
  async release(params: { tenantId: string; reservationId: string }): Promise<void> {
    await inTransaction(this.pool, (tx) => postTransfers(tx, { tenantId: params.tenantId, transfers: [{ op: "void_pending", key: releaseKey(params.reservationId), pendingId: params.reservationId }] }));
  }

  /** The call was rated: post its cost against the reservation (the excess charged, a zero cost voids it). */
  async settle(params: { tenantId: string; reservationId: string; costMicros: bigint }): Promise<void> {
    await inTransaction(this.pool, (tx) =>
      postTransfers(tx, { tenantId: params.tenantId, transfers: [{ op: "settle_pending", key: `settle:${params.reservationId}`, pendingId: params.reservationId, amountMicros: params.costMicros }] }),
    );
  }

  private reservationOf(r: CreditRequest, maxDurationS: number): bigint {
    return reservationMicros({ rateMicrosPerMinute: r.rateMicrosPerMinute, connectionFeeMicros: r.connectionFeeMicros, maxDurationS, minimumMicros: this.options.minimumReservationMicros });
  }

  private decide(r: CreditRequest, reservation: bigint): CreditVerdict {
    const carrier = this.carriers.get(key(r.tenantId, r.carrierId));
    const customer = this.account(r.tenantId, r.carrierId, "customer", r.currency);
    const supplier = this.account(r.tenantId, r.carrierId, "supplier", r.currency);
    let held = 0n;
    for (const h of this.holds.get(accountKey(r.tenantId, r.carrierId, "customer", r.currency)) ?? []) held += h.amountMicros;
    return decideCustomer({
      carrier,
      currency: r.currency,
      customer: customer?.totals ?? ZERO_TOTALS,
      supplier: supplier?.totals ?? ZERO_TOTALS,
      spend24hMicros: customer ? customer.spend.sumAfter(spendWindowStart(r.at, carrier?.customerSpendResetAtMs ?? null)) : 0n,
      heldMicros: held,
      reservationMicros: reservation,
    });
  }

  private account(tenantId: string, carrierId: string, kind: string, currency: string): AccountState | undefined {
    const id = this.accountIds.get(accountKey(tenantId, carrierId, kind, currency));
    return id === undefined ? undefined : this.accounts.get(id);
  }

  private dropHold(holdKey: string, hold: Hold) {
    const rest = (this.holds.get(holdKey) ?? []).filter((h) => h !== hold);
    if (rest.length) this.holds.set(holdKey, rest);
    else this.holds.delete(holdKey);
  }

  /** Ends the holds whose reservation the in-memory account now shows. */
  private releaseHolds(holdKey: string) {
    const holds = this.holds.get(holdKey);
    if (!holds) return;
    const rest = holds.filter((h) => h.untilVersion === null || h.accountId === null || (this.accounts.get(h.accountId)?.version ?? -1n) < h.untilVersion);
    if (rest.length) this.holds.set(holdKey, rest);
    else this.holds.delete(holdKey);
  }

  // ── Keeping the copy fresh ──

  private async connect(): Promise<void> {
    const client = new pg.Client(this.pool.options);
    client.on("notification", (n) => (this.buffered ? this.buffered.push(n) : this.onNotification(n)));
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = null;
      client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on("error", lost);
    client.on("end", lost);
    try {
      this.buffered = [];
      await client.connect();
      await client.query(`LISTEN ${LEDGER_CHANNEL}; LISTEN ${CREDIT_SETTINGS_CHANNEL}`);
      this.listener = client;
      // Through the settings queue, so that no single-carrier reload overlaps the full load.
      const load = this.settingsQueue.then(() => this.loadAll());
      this.settingsQueue = load.catch(() => {});
      await load;
      const pending = this.buffered;
      this.buffered = null;
      for (const n of pending) this.onNotification(n);
    } catch (err) {
      this.buffered = null;
      this.listener = null;
      await client.end().catch(() => {});
      if (this.loadedAt === 0) throw err;
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect() {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) void this.connect();
    }, this.options.reconnectMs);
  }

  private onNotification(n: pg.Notification) {
    this.lastNoticeAt = Date.now();
    if (n.channel === LEDGER_CHANNEL && n.payload) for (const notice of parseAccountNotices(n.payload)) this.applyAccount(notice);
    if (n.channel === CREDIT_SETTINGS_CHANNEL && n.payload) {
      const [tenantId, carrierId] = n.payload.split(":") as [string, string];
      // One at a time, so a later change is never overwritten by an earlier read.
      this.settingsQueue = this.settingsQueue.then(() => this.loadCarriers(sql`tenant_id = ${tenantId} AND id = ${carrierId}`, [key(tenantId, carrierId)])).catch(() => {});
    }
  }

  /** Applies a notice if it is newer than what we have: totals replaced, spend added. */
  private applyAccount(n: AccountNotice) {
    const ak = accountKey(n.tenantId, n.carrierId, n.kind, n.currency);
    let state = this.accounts.get(n.id);
    if (!state) {
      state = { id: n.id, version: -1n, totals: ZERO_TOTALS, spend: new SpendWindow() };
      this.accounts.set(n.id, state);
      this.accountIds.set(ak, n.id);
    }
    if (n.version <= state.version) return;
    state.version = n.version;
    state.totals = { debitsPostedMicros: n.debitsPostedMicros, creditsPostedMicros: n.creditsPostedMicros, debitsPendingMicros: n.debitsPendingMicros, creditsPendingMicros: n.creditsPendingMicros };
    state.spend.add(n.at, n.spendMicros);
    if (n.kind === "customer") this.releaseHolds(ak);
    for (const listener of this.accountListeners) listener(n);
  }

  /** Everything, from one snapshot: carrier accounts, their last 24 hours of spend, and carriers' credit settings. */
  private async loadAll(): Promise<void> {
    const loaded = await inTransaction(this.pool, async (tx) => {
      await tx.execute(sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
      const accounts = await tx.execute<{ id: string; tenant_id: string; kind: string; carrier_id: string; currency: string; dp: string; cp: string; dq: string; cq: string; version: string }>(sql`
        SELECT id, tenant_id, kind, carrier_id, currency, debits_posted_micros::text AS dp, credits_posted_micros::text AS cp,
          debits_pending_micros::text AS dq, credits_pending_micros::text AS cq, version::text AS version
        FROM ledger_accounts WHERE kind IN ('customer', 'supplier')`);
      const spend = await tx.execute<{ account_id: string; at: string; micros: string }>(sql`
        WITH spend_accounts AS (SELECT id, kind FROM ledger_accounts WHERE kind IN ('customer', 'supplier'))
        SELECT account_id, (extract(epoch FROM created_at) * 1000)::bigint::text AS at, sum(micros)::text AS micros
        FROM (${spendRows(sql`now() - interval '24 hours'`)}) s GROUP BY account_id, created_at ORDER BY account_id, created_at`);
      return { accounts: accounts.rows, spend: spend.rows };
    });
    const spendOf = new Map<string, SpendWindow>();
    for (const s of loaded.spend) {
      let w = spendOf.get(s.account_id);
      if (!w) spendOf.set(s.account_id, (w = new SpendWindow()));
      w.add(Number(s.at), BigInt(s.micros));
    }
    this.accounts.clear();
    this.accountIds.clear();
    for (const a of loaded.accounts) {
      this.accounts.set(a.id, {
        id: a.id,
        version: BigInt(a.version),
        totals: { debitsPostedMicros: BigInt(a.dp), creditsPostedMicros: BigInt(a.cp), debitsPendingMicros: BigInt(a.dq), creditsPendingMicros: BigInt(a.cq) },
        spend: spendOf.get(a.id) ?? new SpendWindow(),
      });
      this.accountIds.set(accountKey(a.tenant_id, a.carrier_id, a.kind, a.currency), a.id);
    }
    this.carriers.clear();
    await this.loadCarriers(sql`true`, []);
    for (const holdKey of [...this.holds.keys()]) this.releaseHolds(holdKey);
    this.loadedAt = Date.now();
  }

  /** (Re)loads carriers' credit settings; `expected` keys not found (deleted) are dropped. */
  private async loadCarriers(where: ReturnType<typeof sql>, expected: string[]): Promise<void> {
    const r = await this.db.execute<{
      id: string;
      tenant_id: string;
      type: CarrierCredit["type"];
      status: string;
      primary_currency: string;
      currencies: string[];
      customer_credit_type: CarrierCredit["customerCreditType"];
      limit: string;
      bilateral_limit: string | null;
      bilateral_limit_breach: CarrierCredit["bilateralLimitBreach"];
      customer_spend_limit: string | null;
      customer_spend_breach: CarrierCredit["customerSpendBreach"];
      customer_reset: Date | null;
      supplier_spend_limit: string | null;
      supplier_spend_breach: CarrierCredit["supplierSpendBreach"];
      supplier_reset: Date | null;
    }>(sql`
      SELECT id, tenant_id, type, status, primary_currency, array_remove(ARRAY[primary_currency, currency_2, currency_3], NULL) AS currencies,
        customer_credit_type, customer_credit_limit_micros::text AS limit, bilateral_limit_micros::text AS bilateral_limit, bilateral_limit_breach,
        customer_spend_limit_24h_micros::text AS customer_spend_limit, customer_spend_breach, customer_spend_reset_at AS customer_reset,
        supplier_spend_limit_24h_micros::text AS supplier_spend_limit, supplier_spend_breach, supplier_spend_reset_at AS supplier_reset
      FROM carriers WHERE deleted_at IS NULL AND ${where}`);
    const seen = new Set<string>();
    for (const c of r.rows) {
      const k = key(c.tenant_id, c.id);
      seen.add(k);
      this.carriers.set(k, {
        type: c.type,
        status: c.status,
        primaryCurrency: c.primary_currency,
        currencies: c.currencies,
        customerCreditType: c.customer_credit_type,
        customerCreditLimitMicros: BigInt(c.limit),
        bilateralLimitMicros: c.bilateral_limit === null ? null : BigInt(c.bilateral_limit),
        bilateralLimitBreach: c.bilateral_limit_breach,
        customerSpendLimit24hMicros: c.customer_spend_limit === null ? null : BigInt(c.customer_spend_limit),
        customerSpendBreach: c.customer_spend_breach,
        customerSpendResetAtMs: c.customer_reset ? new Date(c.customer_reset).getTime() : null,
        supplierSpendLimit24hMicros: c.supplier_spend_limit === null ? null : BigInt(c.supplier_spend_limit),
        supplierSpendBreach: c.supplier_spend_breach,
        supplierSpendResetAtMs: c.supplier_reset ? new Date(c.supplier_reset).getTime() : null,
      });
    }
    for (const k of expected) if (!seen.has(k)) this.carriers.delete(k);
  }
}
