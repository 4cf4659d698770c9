import type { ReactNode } from "react";
import { Link } from "react-router";
import { clsx } from "clsx";
import { ArrowRight, Ban, Check, CircleSlash, Info, Layers, Pin, X } from "lucide-react";
import { Badge, IconButton } from "../../components";
import { formatFull } from "../../lib/format";
import { toMicros } from "../carriers/carrier/money";
import { formatRate } from "../rating/types";
import { DROP_LABEL, REJECT_LABEL, formatFx, STEP_LABEL, STRATEGY_LABEL, dropTone, type Decision, type DecisionRoute, type DecisionStep, type DroppedCandidate, type Translation } from "./types";

const mono = "font-mono text-xs tabular";

/** A rate per minute with its currency in small print. */
function Rate({ value, currency, className }: { value: string | null; currency?: string | null; className?: string }) {
  if (value == null) return <span className="text-fg-subtle">—</span>;
  return (
    <span className={clsx(mono, className)}>
      {formatRate(value)}
      {currency && <span className="ml-1 text-2xs text-fg-subtle">{currency}</span>}
    </span>
  );
}

/** Margin per minute: green when positive, red when the route loses money. */
function Margin({ value, percent }: { value: string | null; percent?: string | null }) {
  const m = toMicros(value);
  if (m === null) return <span className="text-fg-subtle" title="No FX rate for the customer rate">—</span>;
  const tone = m < 0n ? "text-red-600 dark:text-red-400" : m === 0n ? "text-fg-muted" : "text-emerald-700 dark:text-emerald-400";
  return (
    <span className={clsx(mono, "font-medium", tone)}>
      {m > 0n ? "+" : ""}
      {formatRate(value)}
      {percent != null && <span className="ml-1.5 text-2xs opacity-80">{percent}%</span>}
    </span>
  );
}

function TranslationList({ items }: { items: Translation[] }) {
  if (!items.length) return <span className="text-fg-subtle">none</span>;
  return (
    <span className="flex flex-col gap-0.5">
      {items.map((t, i) => (
        <span key={i} className={mono} title={`${t.side} ${t.field}: match "${t.matchPrefix}", strip ${t.strip}, prepend "${t.prepend}"`}>
          <span className="text-2xs text-fg-subtle uppercase">{t.field === "destination" ? "dst" : "src"}</span> {t.before}
          <ArrowRight className="mx-0.5 inline size-3 text-fg-subtle" aria-label="to" />
          {t.after}
        </span>
      ))}
    </span>
  );
}

/** Dense result table (a decision's routes are few and not paginated). */
function ResultTable({ label, head, children }: { label: string; head: ReactNode[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table aria-label={label} className="w-full border-separate border-spacing-0 text-sm">
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="sticky top-0 h-7 border-b border-line bg-surface-2 px-2 text-left text-2xs font-semibold tracking-wide whitespace-nowrap text-fg-subtle uppercase first:pl-3 last:pr-3">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="[&_td]:h-8 [&_td]:border-b [&_td]:border-line [&_td]:px-2 [&_td]:whitespace-nowrap [&_td:first-child]:pl-3 [&_td:last-child]:pr-3 [&_tr:last-child_td]:border-b-0">{children}</tbody>
      </table>
    </div>
  );
}

function Panel({ title, aside, children, className }: { title: string; aside?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section aria-label={title} className={clsx("min-w-0 overflow-hidden rounded-lg border border-line bg-surface shadow-xs", className)}>
      <header className="flex h-8 items-center justify-between gap-2 border-b border-line bg-surface-2/60 px-3">
        <h2 className="text-2xs font-semibold tracking-wide text-fg-muted uppercase">{title}</h2>
        {aside}
      </header>
      {children}
    </section>
  );
}

function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-1 px-3 py-2 text-sm">
      {items.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-xs leading-5 text-fg-muted">{k}</dt>
          <dd className="min-w-0 truncate leading-5">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const none = <span className="text-fg-subtle">—</span>;
const interconnectLink = (r: { id: string; name: string }) => (
  <Link to={`/carriers/interconnects/${r.id}`} className="text-accent-text hover:underline">
    {r.name}
  </Link>
);

/** The verdict bar: ROUTE with the count, or REJECT with SIP status, Q.850 cause and reason, big. */
function Verdict({ d }: { d: Decision }) {
  if (d.outcome === "reject" && d.rejection) {
    const r = d.rejection;
    return (
      <div role="alert" aria-label="Rejected" className="flex flex-wrap items-center gap-x-5 gap-y-2 rounded-lg border border-red-500/40 bg-red-50 px-4 py-3 dark:bg-red-500/10">
        <span className="flex items-center gap-2 text-red-700 dark:text-red-300">
          <Ban className="size-5" aria-hidden />
          <span className="text-lg font-bold tracking-wide">REJECT</span>
        </span>
        <span className="flex items-baseline gap-1.5">
          <span className="text-2xs font-semibold text-fg-subtle uppercase">SIP</span>
          <span className="font-mono text-2xl font-bold text-red-700 tabular dark:text-red-300" aria-label="SIP status">
            {r.sipStatus}
          </span>
        </span>
        <span className="flex items-baseline gap-1.5">
          <span className="text-2xs font-semibold text-fg-subtle uppercase">Q.850</span>
          <span className="font-mono text-2xl font-bold text-red-700 tabular dark:text-red-300" aria-label="Q.850 cause">
            {r.q850Cause}
          </span>
          <span className="text-sm text-fg-muted">{r.causeDescription}</span>
        </span>
        <span className="min-w-0 flex-1 basis-72">
          <span className="block text-sm font-semibold text-fg" aria-label="Reject reason">
            {REJECT_LABEL[r.reason] ?? r.reason} <span className="font-mono text-2xs font-normal text-fg-subtle">{r.reason}</span>
          </span>
          <span className="block text-sm text-fg-muted">{r.message}</span>
        </span>
      </div>
    );
  }
  return (
    <div aria-label="Routed" className="flex flex-wrap items-center gap-x-5 gap-y-1 rounded-lg border border-emerald-500/40 bg-emerald-50 px-4 py-3 dark:bg-emerald-500/10">
      <span className="flex items-center gap-2 text-emerald-700 dark:text-emerald-300">
        <Check className="size-5" aria-hidden />
        <span className="text-lg font-bold tracking-wide">ROUTE</span>
      </span>
      <span className="text-sm">
        <span className="font-mono text-2xl font-bold tabular">{d.routes.length}</span> route{d.routes.length === 1 ? "" : "s"} offered
        {d.dropped.length > 0 && <span className="text-fg-muted"> · {d.dropped.length} dropped</span>}
      </span>
      {d.entry && d.routingPlan && (
        <span className="text-sm text-fg-muted">
          entry <span className="font-mono font-semibold text-fg">{d.entry.prefix || "default"}</span> · {STRATEGY_LABEL[d.entry.strategy]} · max {d.entry.maxAttempts} in{" "}
          <Link to={`/routing/plans/${d.routingPlan.id}`} className="text-accent-text hover:underline">
            {d.routingPlan.name}
          </Link>
        </span>
      )}
      {d.routes[0] && (
        <span className="ml-auto text-sm">
          first: <span className="font-semibold">{d.routes[0].interconnect.name}</span> <Rate value={d.routes[0].supplierRateInPlanCurrency} currency={d.routingPlan?.currency} />
        </span>
      )}
    </div>
  );
}

const STEP_ICON = {
  ok: <Check className="size-3.5 text-emerald-600 dark:text-emerald-400" aria-label="ok" />,
  reject: <X className="size-3.5 text-red-600 dark:text-red-400" aria-label="rejected" />,
  info: <Info className="size-3.5 text-sky-600 dark:text-sky-400" aria-label="info" />,
};

/** The decision's steps as a pipeline: where the call went through, and where it stopped. */
function StepStrip({ d }: { d: Decision }) {
  const byStep = new Map(d.explanation.map((s) => [s.step, s.status]));
  return (
    <ol aria-label="Decision pipeline" className="flex flex-wrap items-center gap-1">
      {(Object.keys(STEP_LABEL) as DecisionStep[]).map((step, i) => {
        const status = byStep.get(step);
        return (
          <li key={step} className="flex items-center gap-1">
            {i > 0 && <ArrowRight className="size-3 text-fg-subtle" aria-hidden />}
            <span
              className={clsx(
                "inline-flex h-6 items-center gap-1 rounded-md border px-2 text-xs font-medium",
                status === "ok" && "border-emerald-500/30 bg-emerald-50 text-emerald-800 dark:bg-emerald-500/10 dark:text-emerald-300",
                status === "info" && "border-sky-500/30 bg-sky-50 text-sky-800 dark:bg-sky-500/10 dark:text-sky-300",
                status === "reject" && "border-red-500/50 bg-red-100 text-red-800 dark:bg-red-500/20 dark:text-red-200",
                !status && "border-dashed border-line text-fg-subtle",
              )}
              title={status ? undefined : "Not reached"}
            >
              {status ? STEP_ICON[status] : <CircleSlash className="size-3" aria-label="not reached" />}
              {STEP_LABEL[step]}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

function Trail({ d }: { d: Decision }) {
  return (
    <ol aria-label="Decision steps" className="divide-y divide-line">
      {d.explanation.map((s, i) => (
        <li key={i} className={clsx("grid grid-cols-[1rem_6.5rem_minmax(0,1fr)] items-start gap-2 px-3 py-1.5", s.status === "reject" && "bg-red-50/70 dark:bg-red-500/10")}>
          <span className="mt-0.5">{STEP_ICON[s.status]}</span>
          <span className="text-xs leading-5 font-medium text-fg-muted">{STEP_LABEL[s.step] ?? s.step}</span>
          <span className={clsx("text-xs leading-5", s.status === "reject" ? "font-medium text-red-700 dark:text-red-300" : "text-fg")}>{s.message}</span>
        </li>
      ))}
    </ol>
  );
}

/** Which optional columns the routes table needs for this decision. */
interface RouteColumns {
  order: "priority" | "weight" | null;
  quality: boolean;
  translations: boolean;
}

function routeColumns(d: Decision): RouteColumns {
  const e = d.entry;
  const order = !e ? null : e.strategy === "weighted" ? "weight" : e.strategy === "priority" || e.strategy === "priority_lcr" || (e.strategy === "quality" && e.qualityBase === "priority") ? "priority" : null;
  return { order, quality: d.routes.some((r) => r.quality), translations: d.routes.some((r) => r.translations.length > 0) };
}

function routeHead(c: RouteColumns, planCurrency: string): string[] {
  return [
    "#",
    "Egress interconnect",
    "Carrier",
    "Supplier prefix",
    "Supplier rate",
    `Rate (${planCurrency})`,
    "Margin",
    ...(c.order ? [c.order === "weight" ? "Weight" : "Priority"] : []),
    ...(c.quality ? ["Quality (ASR · ACD · PDD)"] : []),
    "Egress address",
    "Sent as (dst / src)",
    ...(c.translations ? ["Translations"] : []),
  ];
}

function RouteRow({ r, planCurrency, c }: { r: DecisionRoute; planCurrency: string; c: RouteColumns }) {
  return (
    <tr className="hover:bg-surface-2">
      <td className={clsx(mono, "font-semibold")}>{r.position}</td>
      <td>
        <span className="flex items-center gap-1">
          {interconnectLink(r.interconnect)}
          {r.trunkGroup && (
            <span className="flex items-center gap-0.5 text-2xs text-fg-subtle" title={`Via trunk group ${r.trunkGroup.name}`}>
              <Layers className="size-3" aria-hidden />
              {r.trunkGroup.name}
            </span>
          )}
        </span>
      </td>
      <td className="text-fg-muted">{r.carrier.name}</td>
      <td className={mono} title={`${r.supplierRatingPlan.name}: ${r.supplierPrefix} ${r.supplierDestination}`}>
        <span className="font-semibold">{r.supplierPrefix}</span> <span className="font-sans text-fg-muted">{r.supplierDestination}</span>
      </td>
      <td className="text-right">
        <Rate value={r.supplierRate} currency={r.supplierCurrency} />
      </td>
      <td className="text-right" title={r.fxRate ? `1 ${r.supplierCurrency} = ${formatFx(r.fxRate)} ${planCurrency}` : undefined}>
        {r.fxRate && <span className="mr-1.5 font-mono text-2xs text-fg-subtle">@{formatFx(r.fxRate)}</span>}
        <Rate value={r.supplierRateInPlanCurrency} currency={planCurrency} className="font-semibold" />
      </td>
      <td className="text-right">
        <Margin value={r.margin} percent={r.marginPercent} />
      </td>
      {c.order && <td className={clsx(mono, "text-right text-fg-muted")}>{c.order === "weight" ? `${r.weight}%` : r.priority}</td>}
      {c.quality && (
        <td className={mono} title={r.quality ? `ASR ${r.quality.asrPercent}% · ACD ${r.quality.acdS} s · PDD ${r.quality.pddMs} ms over ${r.quality.attempts} attempts` : "No statistics"}>
          {r.quality ? `${r.quality.asrPercent}% · ${Math.round(r.quality.acdS)}s · ${r.quality.pddMs}ms` : <span className="text-fg-subtle">no stats</span>}
        </td>
      )}
      <td className={mono}>
        {r.sendTo.map((s) => (
          <span key={`${s.address}:${s.port}`} className="block">
            {s.address}:{s.port}
            <span className="ml-1 text-2xs text-fg-subtle uppercase">{s.transport}</span>
          </span>
        ))}
      </td>
      <td className={mono}>
        {r.techPrefix && r.destination.startsWith(r.techPrefix) ? (
          <>
            <span className="text-fg-subtle">{r.techPrefix}</span>
            {r.destination.slice(r.techPrefix.length)}
          </>
        ) : (
          r.destination
        )}
        <span className="text-fg-subtle"> / </span>
        <span className="text-fg-muted">{r.origination || "—"}</span>
      </td>
      {c.translations && (
        <td>
          <TranslationList items={r.translations} />
        </td>
      )}
    </tr>
  );
}

function DroppedRow({ x, planCurrency }: { x: DroppedCandidate; planCurrency: string }) {
  const target = x.interconnect ?? x.trunkGroup;
  return (
    <tr className="hover:bg-surface-2">
      <td>
        {x.interconnect ? interconnectLink(x.interconnect) : target ? target.name : <span className="text-fg-subtle">(deleted)</span>}
        {x.trunkGroup && x.interconnect && <span className="ml-1 text-2xs text-fg-subtle">via {x.trunkGroup.name}</span>}
      </td>
      <td className="text-fg-muted">{x.carrier?.name ?? "—"}</td>
      <td>
        <Badge tone={dropTone(x.reason)} title={x.reason}>
          {DROP_LABEL[x.reason] ?? x.reason}
        </Badge>
      </td>
      <td className="max-w-[28rem] truncate text-xs text-fg" title={x.message}>
        {x.message}
      </td>
      <td className="text-right">
        <Rate value={x.supplierRate} currency={x.supplierCurrency} />
      </td>
      <td className="text-right">
        <Rate value={x.supplierRateInPlanCurrency} currency={x.supplierRateInPlanCurrency ? planCurrency : null} />
      </td>
      <td className="text-right">{x.margin == null ? none : <Margin value={x.margin} />}</td>
    </tr>
  );
}

/** The whole explained decision: verdict and pipeline, routes, drops, then ingress / numbers / rate / credit / capacity and the trail. */
export function DecisionView({ d, onPinSeed }: { d: Decision; onPinSeed?: () => void }) {
  const planCurrency = d.routingPlan?.currency ?? d.customerRate?.currency ?? "";
  const cr = d.customerRate;
  const c = routeColumns(d);
  // A call refused before routing has neither routes nor drops: no empty tables then.
  const showRoutes = d.outcome === "route" || d.routes.length > 0;
  const showDropped = d.outcome === "route" || d.dropped.length > 0;
  return (
    <div className="flex flex-col gap-3" aria-label="Decision">
      <Verdict d={d} />
      <StepStrip d={d} />

      {showRoutes && (
        <Panel title={`Routes (${d.routes.length})`} aside={d.routingPlan ? <span className="text-2xs text-fg-subtle">per minute · compared in {d.routingPlan.currency}</span> : undefined}>
          {d.routes.length === 0 ? (
            <p className="px-3 py-3 text-sm text-fg-muted">No routes offered.</p>
          ) : (
            <ResultTable label="Routes" head={routeHead(c, planCurrency)}>
              {d.routes.map((r) => (
                <RouteRow key={r.position} r={r} planCurrency={planCurrency} c={c} />
              ))}
            </ResultTable>
          )}
        </Panel>
      )}

      {showDropped && (
        <Panel title={`Dropped candidates (${d.dropped.length})`}>
          {d.dropped.length === 0 ? (
            <p className="px-3 py-2 text-sm text-fg-muted">None: every candidate was routable.</p>
          ) : (
            <ResultTable label="Dropped candidates" head={["Candidate", "Carrier", "Reason", "Why", "Supplier rate", `In ${planCurrency || "plan currency"}`, "Margin"]}>
              {d.dropped.map((x, i) => (
                <DroppedRow key={i} x={x} planCurrency={planCurrency} />
              ))}
            </ResultTable>
          )}
        </Panel>
      )}

      <div className="grid gap-3 lg:grid-cols-3 xl:grid-cols-[repeat(3,minmax(0,1fr))_minmax(0,1.35fr)]">
        <Panel title="Ingress & service">
          <Facts
            items={[
              ["Interconnect", d.ingress ? <span aria-label="Ingress interconnect">{interconnectLink(d.ingress.interconnect)}</span> : none],
              ["Customer", d.ingress?.carrier.name ?? none],
              ["Matched by", d.ingress ? (d.ingress.matchedBy === "source" ? <span className={mono}>source {d.ingress.address}</span> : "service picked") : none],
              ["Service", d.service ? <span aria-label="Service">{d.service.name}</span> : none],
              ["Tech prefix", d.service?.techPrefix ? <span className={mono}>{d.service.techPrefix}</span> : none],
              ["Match", d.service ? <span className={mono}>dst {d.service.destinationPrefix || "*"} · src {d.service.originationPrefix || "*"}</span> : none],
              ["Routing", d.service ? (d.service.routingMethod === "interconnect" ? "straight to an interconnect" : "routing plan") : none],
              [
                "Capacity",
                d.capacity.length === 0 ? (
                  <span className="text-fg-subtle">not checked</span>
                ) : (
                  <span className="flex flex-wrap gap-1" aria-label="Capacity checks">
                    {d.capacity.map((k) => (
                      <span
                        key={`${k.scope}${k.kind}${k.id}`}
                        title={`${k.scope} ${k.name}: ${k.inUse} of ${k.limit} ${k.kind === "cps" ? "calls per second" : "channels"}`}
                        className={clsx("rounded px-1 font-mono text-2xs ring-1 ring-inset", k.ok ? "text-fg-muted ring-line" : "bg-red-50 text-red-700 ring-red-500/40 dark:bg-red-500/10 dark:text-red-300")}
                      >
                        {k.scope === "interconnect" ? "ic" : k.scope === "service" ? "svc" : "car"} {k.inUse}/{k.limit}
                        {k.kind === "cps" ? "cps" : "ch"}
                      </span>
                    ))}
                  </span>
                ),
              ],
            ]}
          />
        </Panel>
        <Panel title="Numbers">
          <Facts
            items={[
              ["Dialled", <span className={mono} aria-label="Dialled as received">{d.numbers.dialled}</span>],
              ["Tech prefix", d.numbers.techPrefix ? <span className={mono}>{d.numbers.techPrefix} stripped</span> : none],
              ["Destination", <span className={clsx(mono, "font-semibold")} aria-label="Normalized destination">{d.numbers.destination || "—"}</span>],
              ["Calling", <span className={mono}>{d.numbers.calling || "—"}</span>],
              ["Origination", <span className={clsx(mono, "font-semibold")}>{d.numbers.origination || "—"}</span>],
              ["Translations", <TranslationList items={d.numbers.translations} />],
            ]}
          />
        </Panel>
        <Panel title="Customer rate & credit">
          <Facts
            items={[
              ["Plan", cr ? <Link to={`/rating/plans/${cr.ratingPlan.id}`} className="text-accent-text hover:underline">{cr.ratingPlan.name}</Link> : none],
              ["Prefix", cr ? <span aria-label="Customer prefix"><span className={clsx(mono, "font-semibold")}>{cr.prefix}</span> {cr.destination}</span> : none],
              ["Rate", cr ? <span aria-label="Customer rate"><Rate value={cr.rate} currency={cr.currency} className="font-semibold" /></span> : none],
              ["In plan cur.", cr ? (cr.fxRate ? <span><Rate value={cr.rateInPlanCurrency} currency={planCurrency} /> <span className="text-2xs text-fg-subtle">@{formatFx(cr.fxRate)}</span></span> : <span className="text-fg-subtle">same currency</span>) : none],
              ["Conn. fee", cr ? <Rate value={cr.connectionFee} currency={cr.currency} /> : none],
              [
                "Credit",
                d.credit ? (
                  <span className="flex items-center gap-1.5" aria-label="Credit verdict">
                    <Badge tone={d.credit.allowed ? "success" : "danger"} dot>{d.credit.allowed ? "allowed" : `refused${d.credit.reason ? `: ${d.credit.reason}` : ""}`}</Badge>
                    {!d.credit.enforced && <Badge tone="warning" title="The ledger's credit control is not wired yet: the placeholder gate allows every call.">placeholder gate</Badge>}
                  </span>
                ) : (
                  none
                ),
              ],
              ["", d.credit ? <span className="text-xs text-fg-muted" title={d.credit.detail}>{d.credit.detail}</span> : null],
            ]}
          />
        </Panel>
        <Panel title="Explanation" className="lg:col-span-3 xl:col-span-1" aside={<span className={clsx(mono, "text-fg-subtle")} title="Engine time for this decision">{d.engineMicros < 1000 ? `${d.engineMicros.toFixed(1)} µs` : `${(d.engineMicros / 1000).toFixed(1)} ms`}</span>}>
          <Trail d={d} />
        </Panel>
      </div>
      <p className="flex items-center gap-1 text-xs text-fg-subtle">
        Decided for {formatFull(d.at)} · snapshot generation <span className="font-mono">{d.snapshot.generation}</span> (built {formatFull(d.snapshot.builtAt)}) · seed <span className="font-mono">{d.seed}</span>
        {onPinSeed && <IconButton size="xs" label={`Pin seed ${d.seed} to replay this decision`} icon={<Pin className="size-3.5" />} onClick={onPinSeed} />}
      </p>
    </div>
  );
}
