import type { ReactNode } from "react";
import { Link } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { AlertTriangle, ArrowRight } from "lucide-react";
import { Badge, Button, Dialog, IdCell, KeyValue } from "../../components";
import { api } from "../../lib/api";
import { formatDateTime, formatFull } from "../../lib/format";
import { q850Name } from "../carriers/config/q850";
import { SectionHeading } from "../carriers/carrier/ui";
import { isoToZonedLocal } from "../rating/types";
import { useCan } from "../../lib/auth";
import { getDisplayTimeZone } from "../../lib/format";
import { DISPOSITION_LABEL, DISPOSITION_TONE, RATING_LABEL, RATING_TONE, cdrKeys, formatCallDuration, moneySign, sipReason, type Cdr } from "./types";

const dash = <span className="text-fg-subtle">—</span>;
const time = (v: string | null) => (v ? <time dateTime={v} title={formatFull(v)} className="tabular">{formatDateTime(v, { seconds: true })}</time> : dash);
const mono = (v: ReactNode) => <span className="font-mono text-xs">{v}</span>;

function PhoneNumber({ raw, normalized }: { raw: string; normalized: string }) {
  if (!raw) return dash;
  return raw === normalized ? mono(raw) : (
    <span className="inline-flex items-center gap-1.5">
      {mono(raw)}
      <ArrowRight className="size-3 text-fg-subtle" aria-label="normalized to" />
      {mono(normalized)}
    </span>
  );
}

function EntityLink({ to, label, id, prefix }: { to: string | null; label: string | null; id: string | null; prefix: string }) {
  if (!id) return dash;
  return (
    <span className="inline-flex min-w-0 items-center gap-2">
      {to ? (
        <Link to={to} className="truncate text-accent hover:underline">
          {label ?? "Open"}
        </Link>
      ) : (
        <span className="truncate">{label ?? "—"}</span>
      )}
      <IdCell prefix={prefix} id={id} />
    </span>
  );
}

export function MarginText({ value, currency }: { value: string | null; currency?: string | null }) {
  const sign = moneySign(value);
  if (sign === null) return dash;
  return (
    <span className={clsx("font-mono text-xs tabular", sign > 0 && "text-emerald-700 dark:text-emerald-400", sign < 0 && "font-semibold text-red-600 dark:text-red-400", sign === 0 && "text-fg-muted")}>
      {value}
      {currency && <span className="ml-1 text-fg-subtle">{currency}</span>}
    </span>
  );
}

/** Customer and supplier side by side: how each cost was found. */
function Breakdown({ c }: { c: Cdr }) {
  const rows: [string, ReactNode, ReactNode][] = [
    ["Currency", c.customerCurrency ?? dash, c.supplierCurrency ?? dash],
    ["Prefix", c.customerPrefix ? mono(c.customerPrefix) : dash, c.supplierPrefix ? mono(c.supplierPrefix) : dash],
    ["Destination", c.customerDestination ?? dash, c.supplierDestination ?? dash],
    ["Rate / min", c.customerRate ? mono(c.customerRate) : dash, c.supplierRate ? mono(c.supplierRate) : dash],
    ["Billable", c.customerBillableS === null ? dash : mono(`${c.customerBillableS} s`), c.supplierBillableS === null ? dash : mono(`${c.supplierBillableS} s`)],
    ["Cost", c.customerCost ? <span className="font-mono text-xs font-semibold">{c.customerCost}</span> : dash, c.supplierCost ? <span className="font-mono text-xs font-semibold">{c.supplierCost}</span> : dash],
  ];
  return (
    <table className="w-full border-separate border-spacing-0 overflow-hidden rounded-md border border-line text-sm" aria-label="Rating breakdown">
      <thead>
        <tr className="bg-surface-2 text-xs text-fg-muted">
          <th className="w-32 border-b border-line px-3 py-1.5 text-left font-medium" />
          <th className="border-b border-line px-3 py-1.5 text-left font-medium">Customer (sell)</th>
          <th className="border-b border-line px-3 py-1.5 text-left font-medium">Supplier (buy)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, a, b]) => (
          <tr key={label} className="[&:last-child>td]:border-b-0">
            <td className="border-b border-line px-3 py-1.5 text-fg-muted">{label}</td>
            <td className="border-b border-line px-3 py-1.5">{a}</td>
            <td className="border-b border-line px-3 py-1.5">{b}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every field of one CDR, with the rating breakdown, as a side sheet. */
export function CdrDetail({ cdr, onClose }: { cdr: Cdr | null; onClose: () => void }) {
  const one = useQuery({
    queryKey: cdrKeys.one(cdr?.id ?? ""),
    queryFn: ({ signal }) => api.get<Cdr>(`/cdrs/${cdr!.id}`, undefined, signal),
    enabled: !!cdr,
    // The list row shows at once; the fetch brings it up to date (e.g. rated since).
    placeholderData: cdr ?? undefined,
  });
  const c = one.data ?? cdr;
  const can = useCan();
  // The decision for this call as routing would make it now, at the call's own time (minute precision).
  const replay =
    c && c.serviceId && can("routing:read")
      ? `/routing/simulator?${new URLSearchParams({ serviceId: c.serviceId, dialled: c.calledRaw, calling: c.callingNumber, at: isoToZonedLocal(c.startAt, getDisplayTimeZone()) })}`
      : null;
  return (
    <Dialog
      open={cdr !== null}
      onClose={onClose}
      variant="sheet"
      size="lg"
      title={c ? <span className="font-mono">{c.callingNumber || "(no CLI)"} → {c.calledNumber}</span> : ""}
      description={c ? `${formatFull(c.startAt)} · ${DISPOSITION_LABEL[c.disposition]} · ${formatCallDuration(c.durationS)}` : undefined}
      footerStart={
        replay && (
          <Link to={replay} className="text-sm font-medium text-accent-text hover:underline">
            Replay the route decision
          </Link>
        )
      }
      footer={
        <Button size="sm" variant="primary" onClick={onClose}>
          Close
        </Button>
      }
    >
      {c && (
        <div className="flex flex-col gap-5">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={DISPOSITION_TONE[c.disposition]} dot>
              {DISPOSITION_LABEL[c.disposition]}
            </Badge>
            <Badge tone={RATING_TONE[c.ratingStatus]}>{RATING_LABEL[c.ratingStatus]}</Badge>
            <span className="ml-auto flex items-center gap-1.5 text-xs text-fg-muted">
              Margin <MarginText value={c.margin} currency={c.customerCurrency} />
            </span>
          </div>
          {c.ratingStatus === "error" && (
            <div role="alert" className="flex gap-2 rounded-md border border-red-500/25 bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-500/10 dark:text-red-300">
              <AlertTriangle className="mt-0.5 size-4 shrink-0" />
              <span>
                <span className="font-medium">Not rated:</span> {c.ratingError}
              </span>
            </div>
          )}

          <section className="flex flex-col gap-2">
            <SectionHeading>Rating</SectionHeading>
            <Breakdown c={c} />
            <KeyValue
              items={[
                { label: "FX rate", value: c.fxRate ? mono(`${c.fxRate} ${c.customerCurrency ?? ""} per ${c.supplierCurrency ?? ""}`) : dash },
                { label: "Margin", value: <MarginText value={c.margin} currency={c.customerCurrency} /> },
                { label: "Rating version", value: mono(c.ratingVersion) },
                { label: "Rated", value: time(c.ratedAt) },
                { label: "Error", value: c.ratingError ? <span className="whitespace-normal text-red-600 dark:text-red-400">{c.ratingError}</span> : dash },
              ]}
            />
          </section>
          <section className="flex flex-col gap-2">
            <SectionHeading>Call</SectionHeading>
            <KeyValue
              items={[
                { label: "Calling", value: <PhoneNumber raw={c.callingRaw} normalized={c.callingNumber} /> },
                { label: "Called", value: <PhoneNumber raw={c.calledRaw} normalized={c.calledNumber} /> },
                { label: "Start", value: time(c.startAt) },
                { label: "Answer", value: time(c.answerAt) },
                { label: "End", value: time(c.endAt) },
                { label: "Duration", value: mono(`${formatCallDuration(c.durationS)} (${c.durationS} s)`) },
                { label: "PDD", value: c.pddMs === null ? dash : mono(`${c.pddMs} ms`) },
                { label: "SIP status", value: mono(`${c.sipStatus} ${sipReason(c.sipStatus)}`) },
                { label: "Q.850 cause", value: c.q850Cause === null ? dash : mono(`${c.q850Cause} ${q850Name(c.q850Cause)}`) },
                { label: "Codec", value: c.codec ?? dash },
                { label: "Switch / call", value: mono(`${c.switchId} · ${c.callId} · attempt ${c.attempt}`) },
                { label: "CDR id", value: mono(c.id) },
              ]}
            />
          </section>

          <section className="flex flex-col gap-2">
            <SectionHeading>Route</SectionHeading>
            <KeyValue
              items={[
                { label: "Customer", value: <EntityLink to={c.customerCarrierId && `/carriers/${c.customerCarrierId}`} label={c.customerCarrierName} id={c.customerCarrierId} prefix="car" /> },
                { label: "Ingress", value: <EntityLink to={c.ingressInterconnectId && `/carriers/interconnects/${c.ingressInterconnectId}`} label="Interconnect" id={c.ingressInterconnectId} prefix="ic" /> },
                { label: "Service", value: <EntityLink to={null} label={c.serviceName} id={c.serviceId} prefix="svc" /> },
                { label: "Supplier", value: <EntityLink to={c.supplierCarrierId && `/carriers/${c.supplierCarrierId}`} label={c.supplierCarrierName} id={c.supplierCarrierId} prefix="car" /> },
                { label: "Egress", value: <EntityLink to={c.egressInterconnectId && `/carriers/interconnects/${c.egressInterconnectId}`} label="Interconnect" id={c.egressInterconnectId} prefix="ic" /> },
              ]}
            />
          </section>

        </div>
      )}
    </Dialog>
  );
}
