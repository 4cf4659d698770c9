import type { BadgeTone } from "../../components";

/** Decimal string from the API ("-4658.600000"); never parsed to a float. */
type Money = string;

export type AccountKind = "customer" | "supplier" | "revenue" | "cost_of_sales" | "cash" | "tax" | "fx";
export type TransferCode = "call_charge" | "supplier_cost" | "payment" | "refund" | "supplier_payment" | "supplier_refund" | "adjustment" | "netting" | "reversal";
export type TransferState = "posted" | "pending" | "post_pending" | "void_pending";

export interface LedgerAccount {
  id: string;
  kind: AccountKind;
  carrierId: string | null;
  carrierName: string | null;
  currency: string;
  debitsPosted: Money;
  creditsPosted: Money;
  debitsPending: Money;
  creditsPending: Money;
  /** Natural side: customer, revenue, tax = credits − debits; the others debits − credits. */
  balance: Money;
  createdAt: string;
}

export interface AccountRef {
  id: string;
  kind: AccountKind;
  carrierId: string | null;
  carrierName: string | null;
}

export interface LedgerTransfer {
  id: string;
  key: string;
  createdAt: string;
  code: TransferCode;
  state: TransferState;
  amount: Money;
  currency: string;
  debitAccount: AccountRef;
  creditAccount: AccountRef;
  pendingId: string | null;
  resolvedById: string | null;
  reversesId: string | null;
  reversedById: string | null;
  referenceType: string | null;
  referenceId: string | null;
}

export type PaymentDirection = "customer" | "supplier";
export type PaymentKind = "payment" | "refund";
export type PaymentMethod = "bank_transfer" | "card" | "cash" | "cheque" | "direct_debit" | "other";

export interface Payment {
  id: string;
  carrierId: string;
  carrierName: string | null;
  direction: PaymentDirection;
  kind: PaymentKind;
  method: PaymentMethod;
  reference: string | null;
  paidOn: string;
  amount: Money;
  currency: string;
  note: string | null;
  transferId: string;
  reversedById: string | null;
  recordedBy: string;
  createdAt: string;
}

export interface PaymentBody {
  carrierId: string;
  direction: PaymentDirection;
  kind: PaymentKind;
  method: PaymentMethod;
  reference: string | null;
  paidOn: string;
  amount: string;
  currency: string;
  note: string | null;
  idempotencyKey: string;
}

export const ledgerKeys = {
  all: ["ledger"] as const,
  accounts: ["ledger", "accounts"] as const,
  transfers: ["ledger", "transfers"] as const,
  payments: ["ledger", "payments"] as const,
};

export const ACCOUNT_KIND_LABEL: Record<AccountKind, string> = {
  customer: "Customer",
  supplier: "Supplier",
  revenue: "Revenue",
  cost_of_sales: "Cost of sales",
  cash: "Cash / bank",
  tax: "Tax",
  fx: "FX",
};
export const ACCOUNT_KIND_TONE: Record<AccountKind, BadgeTone> = {
  customer: "info",
  supplier: "warning",
  revenue: "success",
  cost_of_sales: "danger",
  cash: "accent",
  tax: "neutral",
  fx: "neutral",
};
export const ACCOUNT_KIND_HINT: Record<AccountKind, string> = {
  customer: "credits − debits: payments in, charges out; negative = the customer owes us",
  supplier: "debits − credits: our payments in, their costs out; negative = we owe the supplier",
  revenue: "credits − debits: call charges",
  cost_of_sales: "debits − credits: supplier costs",
  cash: "debits − credits: money received less money paid out",
  tax: "credits − debits: tax collected",
  fx: "debits − credits",
};

export const CODE_LABEL: Record<TransferCode, string> = {
  call_charge: "Call charge",
  supplier_cost: "Supplier cost",
  payment: "Payment",
  refund: "Refund",
  supplier_payment: "Supplier payment",
  supplier_refund: "Supplier refund",
  adjustment: "Adjustment",
  netting: "Netting",
  reversal: "Reversal",
};

export const STATE_LABEL: Record<TransferState, string> = { posted: "Posted", pending: "Pending", post_pending: "Posted (reservation)", void_pending: "Voided" };
export const STATE_TONE: Record<TransferState, BadgeTone> = { posted: "success", pending: "warning", post_pending: "success", void_pending: "neutral" };

export const DIRECTION_LABEL: Record<PaymentDirection, string> = { customer: "From customer", supplier: "To supplier" };
export const KIND_LABEL: Record<PaymentKind, string> = { payment: "Payment", refund: "Refund" };
export const METHOD_LABEL: Record<PaymentMethod, string> = { bank_transfer: "Bank transfer", card: "Card", cash: "Cash", cheque: "Cheque", direct_debit: "Direct debit", other: "Other" };

/** Who pays whom, in words: a customer payment comes in, a refund to the customer goes out, and the reverse for suppliers. */
export function paymentFlow(p: { direction: PaymentDirection; kind: PaymentKind }): { label: string; incoming: boolean } {
  if (p.direction === "customer") return p.kind === "payment" ? { label: "Received from customer", incoming: true } : { label: "Refunded to customer", incoming: false };
  return p.kind === "payment" ? { label: "Paid to supplier", incoming: false } : { label: "Refunded by supplier", incoming: true };
}
