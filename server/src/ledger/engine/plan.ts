import { isCarrierMoney, legsOf, spendOf } from "./rules.js";
import {
  FLAG_PENDING,
  FLAG_POST_PENDING,
  FLAG_VOID_PENDING,
  LedgerRuleError,
  MAX_TRANSFER_MICROS,
  type AccountInfo,
  type AccountRef,
  type KnownTransfer,
  type PlannedTransfer,
  type TransferFlags,
  type TransferRequest,
} from "./types.js";

/** What the planner may look up; the ledger service fills it from the database. */
export interface PlanContext {
  /** Id of an account named by kind, carrier and currency (resolved beforehand). */
  accountIdOf(ref: AccountRef): string | undefined;
  account(id: string): AccountInfo | undefined;
  /** A transfer the batch refers to (a pending one to post or void, a posted one to reverse). */
  transfer(id: string): KnownTransfer | undefined;
  newId(): string;
}

/** After the batch, this customer account's available balance must stay ≥ 0 (see `availableMicros`). */
export interface CreditLimitCheck {
  index: number;
  accountId: string;
  creditLimitMicros: bigint;
}

export interface BatchPlan {
  transfers: PlannedTransfer[];
  limits: CreditLimitCheck[];
}

const KEY_MAX = 200;
const CURRENCY = /^[A-Z]{3}$/;
const EXCESS_SUFFIX = ":excess";

/** Keys a request writes under (a settlement may add its excess charge). */
export function keysOf(r: TransferRequest): string[] {
  return r.op === "settle_pending" ? [r.key, r.key + EXCESS_SUFFIX] : [r.key];
}

/** Accounts a request names by carrier/currency (requests naming a transfer use that transfer's). */
export function accountRefsOf(r: TransferRequest): AccountRef[] {
  if (!isCarrierMoney(r)) return [];
  const legs = legsOf(r);
  return [legs.debit, legs.credit];
}

/** Transfers a request refers to. */
export function referencedTransferIdOf(r: TransferRequest): string | null {
  switch (r.op) {
    case "reverse":
      return r.transferId;
    case "post_pending":
    case "void_pending":
    case "settle_pending":
      return r.pendingId;
    default:
      return null;
  }
}

/**
 * Turns a batch of requests into the transfers to write, in order, or refuses the whole
 * batch with the first broken rule. Later requests see earlier ones: a batch may reserve
 * and then post the same pending transfer, but never resolve or reverse anything twice.
 */
export function planBatch(requests: readonly TransferRequest[], ctx: PlanContext): BatchPlan {
  const transfers: PlannedTransfer[] = [];
  const limits: CreditLimitCheck[] = [];
  const keys = new Set<string>();
  // Transfers of this batch, and changes to known ones, without touching the context.
  const local = new Map<string, KnownTransfer>();
  const known = (id: string): KnownTransfer | undefined => local.get(id) ?? ctx.transfer(id);

  requests.forEach((r, index) => {
    const fail = (code: ConstructorParameters<typeof LedgerRuleError>[0], message: string): never => {
      throw new LedgerRuleError(code, message, index);
    };
    for (const key of keysOf(r)) {
      if (typeof key !== "string" || key.length === 0 || key.length > KEY_MAX) fail("invalid_key", `idempotency key must be 1–${KEY_MAX} characters`);
      if (keys.has(key)) fail("invalid_key", `idempotency key "${key}" appears twice in the batch`);
      keys.add(key);
    }
    const checkAmount = (amount: bigint, allowZero = false) => {
      if (typeof amount !== "bigint" || amount < (allowZero ? 0n : 1n) || amount > MAX_TRANSFER_MICROS)
        fail("invalid_amount", `amount must be ${allowZero ? "zero or more" : "positive"} and at most ${MAX_TRANSFER_MICROS} micros`);
    };
    const reference = r.reference ?? null;
    const push = (t: Omit<PlannedTransfer, "requestIndex" | "id" | "referenceType" | "referenceId">, inherited: KnownTransfer | null = null): PlannedTransfer => {
      const row: PlannedTransfer = {
        requestIndex: index,
        id: ctx.newId(),
        referenceType: reference?.type ?? inherited?.referenceType ?? null,
        referenceId: reference?.id ?? inherited?.referenceId ?? null,
        ...t,
      };
      transfers.push(row);
      return row;
    };
    const remember = (row: PlannedTransfer) =>
      local.set(row.id, {
        id: row.id,
        debitAccountId: row.debitAccountId,
        creditAccountId: row.creditAccountId,
        amountMicros: row.amountMicros,
        currency: row.currency,
        code: row.code,
        flags: row.flags,
        reversesId: row.reversesId,
        referenceType: row.referenceType,
        referenceId: row.referenceId,
        resolved: false,
        reversed: false,
      });

    if (isCarrierMoney(r)) {
      checkAmount(r.amountMicros);
      if (typeof r.currency !== "string" || !CURRENCY.test(r.currency)) fail("invalid_currency", "currency must be a 3-letter code");
      const legs = legsOf(r);
      const resolve = (ref: AccountRef): AccountInfo => {
        const id = ctx.accountIdOf(ref);
        const account = id === undefined ? undefined : ctx.account(id);
        if (!account) return fail("unknown_account", `no ${ref.kind} account in ${ref.currency}${ref.carrierId ? ` for carrier ${ref.carrierId}` : ""}`);
        if (account.currency !== r.currency) fail("currency_mismatch", `the ${ref.kind} account is in ${account.currency}, the transfer in ${r.currency}`);
        return account;
      };
      const debit = resolve(legs.debit);
      const credit = resolve(legs.credit);
      if (debit.id === credit.id) fail("same_account", "debit and credit account are the same");
      const pending = r.op === "call_charge" && r.pending === true;
      const flags: TransferFlags = pending ? FLAG_PENDING : 0;
      const row = push({
        key: r.key,
        debitAccountId: debit.id,
        creditAccountId: credit.id,
        amountMicros: r.amountMicros,
        currency: r.currency,
        code: legs.code,
        flags,
        pendingId: null,
        reversesId: null,
        postedDeltaMicros: pending ? 0n : r.amountMicros,
        pendingDeltaMicros: pending ? r.amountMicros : 0n,
        spend: spendOf({ code: legs.code, debitAccountId: debit.id, creditAccountId: credit.id, amountMicros: r.amountMicros, posted: !pending }, null),
        timeoutS: pending && r.op === "call_charge" ? (r.timeoutS ?? null) : null,
      });
      if (pending && r.op === "call_charge" && r.timeoutS !== undefined && (!Number.isInteger(r.timeoutS) || r.timeoutS < 1 || r.timeoutS > 7 * 86_400))
        fail("invalid_amount", "a pending transfer's timeout must be 1 s to 7 days");
      if (pending) remember(row);
      if (r.op === "call_charge" && r.creditLimitMicros !== undefined) {
        if (typeof r.creditLimitMicros !== "bigint" || r.creditLimitMicros < 0n) fail("invalid_amount", "credit limit must not be negative");
        limits.push({ index, accountId: debit.id, creditLimitMicros: r.creditLimitMicros });
      }
      return;
    }

    const target = known(referencedTransferIdOf(r)!);
    if (!target) return fail("unknown_transfer", "the transfer it refers to does not exist");

    if (r.op === "reverse") {
      if (target.flags & (FLAG_PENDING | FLAG_VOID_PENDING)) fail("not_reversible", "only posted transfers can be reversed (void a pending one instead)");
      if (target.code === "reversal") fail("not_reversible", "a reversal is not reversed again; post a new transfer instead");
      if (target.reversed) fail("already_reversed", "this transfer is already reversed");
      push(
        {
          key: r.key,
          debitAccountId: target.creditAccountId,
          creditAccountId: target.debitAccountId,
          amountMicros: target.amountMicros,
          currency: target.currency,
          code: "reversal",
          flags: 0,
          pendingId: null,
          reversesId: target.id,
          postedDeltaMicros: target.amountMicros,
          pendingDeltaMicros: 0n,
          spend: spendOf({ code: "reversal", debitAccountId: target.creditAccountId, creditAccountId: target.debitAccountId, amountMicros: target.amountMicros, posted: true }, target),
        },
        target,
      );
      local.set(target.id, { ...target, reversed: true });
      return;
    }

    // Two-phase: resolve a pending transfer exactly once.
    if (!(target.flags & FLAG_PENDING)) fail("not_pending", "the transfer it refers to is not pending");
    if (target.resolved) fail("pending_resolved", "the pending transfer is already posted or voided");
    local.set(target.id, { ...target, resolved: true });
    const resolution = (key: string, flags: TransferFlags, amount: bigint) =>
      push(
        {
          key,
          debitAccountId: target.debitAccountId,
          creditAccountId: target.creditAccountId,
          amountMicros: amount,
          currency: target.currency,
          code: target.code,
          flags,
          pendingId: target.id,
          reversesId: null,
          postedDeltaMicros: flags === FLAG_POST_PENDING ? amount : 0n,
          pendingDeltaMicros: -target.amountMicros,
          spend: spendOf({ code: target.code, debitAccountId: target.debitAccountId, creditAccountId: target.creditAccountId, amountMicros: amount, posted: flags === FLAG_POST_PENDING }, null),
        },
        target,
      );

    if (r.op === "void_pending") {
      resolution(r.key, FLAG_VOID_PENDING, target.amountMicros);
      return;
    }
    if (r.op === "post_pending") {
      checkAmount(r.amountMicros);
      if (r.amountMicros > target.amountMicros) fail("amount_exceeds_pending", `posts ${r.amountMicros} of a pending ${target.amountMicros}`);
      resolution(r.key, FLAG_POST_PENDING, r.amountMicros);
      return;
    }
    // settle_pending
    checkAmount(r.amountMicros, true);
    if (r.amountMicros === 0n) {
      resolution(r.key, FLAG_VOID_PENDING, target.amountMicros);
      return;
    }
    const posted = r.amountMicros < target.amountMicros ? r.amountMicros : target.amountMicros;
    resolution(r.key, FLAG_POST_PENDING, posted);
    const excess = r.amountMicros - posted;
    if (excess > 0n) {
      push(
        {
          key: r.key + EXCESS_SUFFIX,
          debitAccountId: target.debitAccountId,
          creditAccountId: target.creditAccountId,
          amountMicros: excess,
          currency: target.currency,
          code: target.code,
          flags: 0,
          pendingId: null,
          reversesId: null,
          postedDeltaMicros: excess,
          pendingDeltaMicros: 0n,
          spend: spendOf({ code: target.code, debitAccountId: target.debitAccountId, creditAccountId: target.creditAccountId, amountMicros: excess, posted: true }, null),
        },
        target,
      );
    }
  });
  return { transfers, limits };
}

/** The stored transfer a replayed key points to, as far as a request can be compared with it. */
export interface StoredTransfer {
  debitAccountId: string;
  creditAccountId: string;
  amountMicros: bigint;
  code: string;
  flags: number;
  pendingId: string | null;
  reversesId: string | null;
}

/**
 * Whether a request replayed under an existing key asks for what that key already did.
 * A key reused for something else is refused (`idempotency_conflict`), never silently
 * taken as done.
 */
export function sameRequest(r: TransferRequest, stored: StoredTransfer, accountIdOf: PlanContext["accountIdOf"]): boolean {
  if (isCarrierMoney(r)) {
    const legs = legsOf(r);
    const pending = r.op === "call_charge" && r.pending === true;
    return (
      stored.debitAccountId === accountIdOf(legs.debit) &&
      stored.creditAccountId === accountIdOf(legs.credit) &&
      stored.amountMicros === r.amountMicros &&
      stored.code === legs.code &&
      stored.flags === (pending ? FLAG_PENDING : 0)
    );
  }
  switch (r.op) {
    case "reverse":
      return stored.reversesId === r.transferId;
    case "void_pending":
      return stored.pendingId === r.pendingId && stored.flags === FLAG_VOID_PENDING;
    case "post_pending":
      return stored.pendingId === r.pendingId && stored.flags === FLAG_POST_PENDING && stored.amountMicros === r.amountMicros;
    case "settle_pending":
      // The first row is the post (or the void of a zero cost); the excess, if any, shares the key prefix.
      return stored.pendingId === r.pendingId && (r.amountMicros === 0n ? stored.flags === FLAG_VOID_PENDING : stored.flags === FLAG_POST_PENDING && stored.amountMicros <= r.amountMicros);
  }
}
