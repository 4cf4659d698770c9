import { useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Field, Input, Textarea } from "../../components";
import { ConfirmDialog, toast } from "../../components";
import { api } from "../../lib/api";
import type { Page as ListPage } from "../../lib/types";
import type { Carrier } from "../carriers/types";
import { keys as carrierKeys } from "../carriers/carrier/queries";
import type { SearchOption } from "../carriers/interconnect/SearchSelect";
import { CARRIER_TYPE_LABEL, carrierCurrencies } from "../carriers/carrier/labels";
import { ACCOUNT_KIND_LABEL, ledgerKeys, type AccountRef, type LedgerTransfer } from "./types";

const MONEY_RE = /^(-?)(\d+)(?:\.(\d*))?$/;

/**
 * A ledger amount for display: thousands grouped, at least 2 decimals and as many more
 * as it has (a call charge of 0.0123 must not read 0.01). From the decimal string, never a float.
 */
export function formatAmount(v: string | null | undefined): string {
  const m = v == null ? null : MONEY_RE.exec(v.trim());
  if (!m) return v ?? "—";
  const frac = (m[3] ?? "").replace(/0+$/, "").padEnd(2, "0");
  const int = m[2]!.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const zero = !/[1-9]/.test(m[2]! + frac);
  return `${m[1] && !zero ? "-" : ""}${int}.${frac}`;
}

/** An amount right-aligned in mono, red when negative, with its currency. */
export function Amount({ value, currency, tone = true, className }: { value: string; currency?: string; tone?: boolean; className?: string }) {
  const negative = value.trim().startsWith("-") && /[1-9]/.test(value);
  return (
    <span className={clsx("font-mono text-xs whitespace-nowrap", tone && negative && "text-red-600 dark:text-red-400", className)} title={`${value}${currency ? ` ${currency}` : ""}`}>
      {formatAmount(value)}
      {currency && <span className="text-fg-subtle"> {currency}</span>}
    </span>
  );
}

/** "Customer · GlobalVoice Ltd", or the tenant account's name ("Cash / bank"). */
export const accountLabel = (a: Pick<AccountRef, "kind" | "carrierName">) => (a.carrierName ? `${ACCOUNT_KIND_LABEL[a.kind]} · ${a.carrierName}` : ACCOUNT_KIND_LABEL[a.kind]);

/** Live carriers for pickers (a tenant has hundreds at most; 500 covers it). */
export function useCarrierOptions() {
  const list = useQuery({
    queryKey: [...carrierKeys.carriers, "ledger-options"],
    queryFn: ({ signal }) => api.get<ListPage<Carrier>>("/carriers", { pageSize: 500, sort: "name:asc" }, signal),
    staleTime: 60_000,
  });
  const options = useMemo<SearchOption[]>(
    () =>
      (list.data?.rows ?? []).map((c) => ({
        value: c.id,
        label: c.name,
        detail: `${CARRIER_TYPE_LABEL[c.type]} · ${carrierCurrencies(c).join(", ")}`,
        keywords: `${c.type} ${carrierCurrencies(c).join(" ")} ${c.customerAccountNumber ?? ""} ${c.supplierAccountNumber ?? ""}`,
      })),
    [list.data],
  );
  return { carriers: list.data?.rows ?? [], options, loading: list.isLoading };
}

/** Reverse a posted transfer: asks why (the reason is audited) and posts the linked reversal. */
export function ReverseDialog({ transfer, onClose, what = "transfer" }: { transfer: Pick<LedgerTransfer, "id" | "amount" | "currency" | "code"> | null; onClose: () => void; what?: string }) {
  const qc = useQueryClient();
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const close = () => {
    setReason("");
    setTouched(false);
    onClose();
  };
  return (
    <ConfirmDialog
      open={!!transfer}
      onClose={close}
      title={`Reverse this ${what}?`}
      message={
        transfer && (
          <>
            A reversing transfer of <span className="font-mono">{formatAmount(transfer.amount)} {transfer.currency}</span> is posted and linked to the original; nothing is edited or deleted. A transfer is reversed once.
          </>
        )
      }
      confirmLabel="Reverse"
      tone="danger"
      onConfirm={async () => {
        setTouched(true);
        if (!reason.trim()) throw new Error("Say why it is reversed.");
        await api.post(`/ledger/transfers/${transfer!.id}/reverse`, { reason: reason.trim() });
        void qc.invalidateQueries({ queryKey: ledgerKeys.all });
        void qc.invalidateQueries({ queryKey: ["carrier"] });
        toast.success(`The ${what} was reversed`);
        setReason("");
        setTouched(false);
      }}
    >
      <Field label="Reason" required error={touched && !reason.trim() ? "Required" : undefined} hint="Recorded in the audit log.">
        <Textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={500} data-autofocus />
      </Field>
    </ConfirmDialog>
  );
}

/** From/To day pickers for a time-range filter (days in UTC). */
export function DayRange({ from, to, onChange }: { from: string; to: string; onChange: (from: string, to: string) => void }) {
  return (
    <div className="flex items-center gap-1" title="Days in UTC">
      <Input size="sm" type="date" aria-label="From day" value={from} max={to || undefined} onChange={(e) => onChange(e.target.value, to)} className="w-34" />
      <span className="text-xs text-fg-subtle">–</span>
      <Input size="sm" type="date" aria-label="To day" value={to} min={from || undefined} onChange={(e) => onChange(from, e.target.value)} className="w-34" />
    </div>
  );
}
