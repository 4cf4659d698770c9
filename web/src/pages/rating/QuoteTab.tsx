import { useState, type FormEvent, type ReactNode } from "react";
import { useMutation } from "@tanstack/react-query";
import { ArrowRight, Calculator } from "lucide-react";
import { Badge, Button, Card, CardBody, Field, Input } from "../../components";
import { ApiError, api, fieldErrors } from "../../lib/api";
import { formatFull } from "../../lib/format";
import { moneyForInput } from "../carriers/carrier/money";
import { FormError } from "../carriers/carrier/ui";
import { formatAtPrecision, formatRate, nowLocal, zonedLocalToIso, type Quote, type RatingPlan } from "./types";

/** How the billable seconds came about, in words (integers only; money comes from the server). */
function billableExplanation(q: Quote): string {
  if (q.free) return `${q.durationS} s is within the ${q.gracePeriodS} s grace period: the call is free.`;
  const parts: string[] = [];
  let d = q.durationS;
  if (q.minimumDurationS > d) {
    parts.push(`raised to the ${q.minimumDurationS} s minimum`);
    d = q.minimumDurationS;
  }
  const rest = Math.max(0, q.billableS - q.incrementFirstS);
  const steps = q.incrementNextS > 0 ? Math.round(rest / q.incrementNextS) : 0;
  const calc = steps > 0 ? `first ${q.incrementFirstS} s + ${steps} × ${q.incrementNextS} s` : `first increment of ${q.incrementFirstS} s`;
  return `${q.durationS} s${parts.length ? ` (${parts.join(", ")})` : ""} billed in ${q.incrementFirstS}/${q.incrementNextS} increments: ${calc} = ${q.billableS} s.`;
}

function Step({ n, label, children }: { n: number; label: string; children: ReactNode }) {
  return (
    <li className="grid grid-cols-[1.5rem_9rem_minmax(0,1fr)] items-baseline gap-2 border-t border-line py-2 first:border-t-0">
      <span className="flex size-5 items-center justify-center rounded-full bg-surface-3 text-2xs font-semibold text-fg-muted tabular">{n}</span>
      <span className="text-sm text-fg-muted">{label}</span>
      <span className="min-w-0 text-sm">{children}</span>
    </li>
  );
}

/** Quote tab: rate one hypothetical call and explain every step. */
export function QuoteTab({ plan }: { plan: RatingPlan }) {
  const [number, setNumber] = useState("");
  const [duration, setDuration] = useState("60");
  const [at, setAt] = useState(() => nowLocal(plan.timeZone));
  const [localError, setLocalError] = useState<Record<string, string>>({});
  const quote = useMutation({ mutationFn: (body: { number: string; durationS: number; at?: string }) => api.post<Quote>(`/rating-plans/${plan.id}/quote`, body) });
  const server = fieldErrors(quote.error);
  const noRate = quote.error instanceof ApiError && quote.error.code === "no_rate";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!/^\+?[0-9 ()-]+$/.test(number.trim())) errs.number = "A dialled number, e.g. 4420791234";
    if (!/^\d+$/.test(duration.trim()) || Number(duration) > 7 * 86_400) errs.durationS = "Whole seconds";
    const iso = at ? zonedLocalToIso(at, plan.timeZone) : undefined;
    if (at && !iso) errs.at = "A date and time";
    setLocalError(errs);
    if (Object.keys(errs).length) return;
    quote.mutate({ number: number.trim(), durationS: Number(duration), at: iso });
  };

  const q = quote.data;
  return (
    <div className="grid gap-4 lg:grid-cols-[22rem_minmax(0,1fr)]">
      <Card>
        <CardBody>
          <form onSubmit={submit} className="flex flex-col gap-3" noValidate aria-label="Quote a call">
            <Field label="Number" required error={localError.number ?? server.number}>
              <Input value={number} onChange={(e) => setNumber(e.target.value)} placeholder="e.g. 442079460000" inputMode="tel" className="font-mono" autoComplete="off" />
            </Field>
            <Field label="Duration" required error={localError.durationS ?? server.durationS}>
              <Input value={duration} onChange={(e) => setDuration(e.target.value)} inputMode="numeric" trailing="s" />
            </Field>
            <Field label="Call time" hint={`Wall-clock time in the plan's zone, ${plan.timeZone}.`} error={localError.at ?? server.at}>
              <Input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
            </Field>
            <Button type="submit" variant="primary" icon={<Calculator className="size-4" />} loading={quote.isPending}>
              Quote call
            </Button>
          </form>
        </CardBody>
      </Card>
      <Card>
        <CardBody>
          {!q && !quote.error && <p className="py-8 text-center text-sm text-fg-muted">Enter a number and a duration to see how this plan would rate the call, step by step.</p>}
          {noRate && (
            <p role="alert" className="py-8 text-center text-sm text-amber-700 dark:text-amber-300">
              {quote.error?.message}
              <span className="mt-1 block text-xs text-fg-muted">No prefix of the number has a rate effective at that time (rates limited to a time class apply only inside it).</span>
            </p>
          )}
          {quote.error && !noRate && Object.keys(server).length === 0 && <FormError error={quote.error} />}
          {q && !quote.error && (
            <div aria-label="Quote breakdown">
              <div className="mb-3 flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <span className="font-mono text-sm">{q.number}</span>
                <span className="text-xs text-fg-muted" title={formatFull(q.at)}>
                  at {formatFull(q.at)}
                </span>
                <span className="ml-auto text-right">
                  <span className="block text-2xs font-semibold tracking-wide text-fg-subtle uppercase">Cost</span>
                  <span className="font-mono text-2xl font-semibold tabular" aria-label="Rounded cost">
                    {formatAtPrecision(q.cost, q.precision)} <span className="text-sm text-fg-muted">{q.currency}</span>
                  </span>
                </span>
              </div>
              <ol>
                <Step n={1} label="Matched prefix">
                  <span className="font-mono font-semibold">{q.prefix}</span> <ArrowRight className="inline size-3.5 text-fg-subtle" /> {q.destination || "—"}
                  <span className="block text-xs text-fg-muted">Longest prefix of {q.number} with a rate effective at the call time.</span>
                </Step>
                <Step n={2} label="Rate">
                  <span className="font-mono">{formatRate(q.rate)}</span> {q.currency}/min
                </Step>
                <Step n={3} label="Time class">
                  {q.timeClass ? <Badge tone="info">{q.timeClass}</Badge> : <span className="text-fg-muted">none (all times)</span>}
                </Step>
                <Step n={4} label="Billable seconds">
                  <span className="font-mono font-semibold" aria-label="Billable seconds">
                    {q.billableS} s
                  </span>
                  <span className="block text-xs text-fg-muted">{billableExplanation(q)}</span>
                  {(q.minimumDurationS > 0 || q.gracePeriodS > 0) && (
                    <span className="block text-xs text-fg-subtle">
                      Minimum {q.minimumDurationS} s · grace {q.gracePeriodS} s
                    </span>
                  )}
                </Step>
                <Step n={5} label="Connection fee">
                  <span className="font-mono">{formatRate(q.connectionFee)}</span> {q.currency}
                </Step>
                <Step n={6} label="Exact cost">
                  <span className="font-mono" aria-label="Exact cost">
                    {q.exactCost}
                  </span>{" "}
                  {q.currency}
                  <span className="block text-xs text-fg-muted">
                    {formatRate(q.rate)} × {q.billableS}/60 + {formatRate(q.connectionFee)}
                  </span>
                </Step>
                <Step n={7} label="Rounded cost">
                  <span className="font-mono font-semibold">{formatAtPrecision(q.cost, q.precision)}</span> {q.currency}
                  <span className="block text-xs text-fg-muted">Rounded to the plan's precision of {moneyForInput(q.precision)}.</span>
                </Step>
              </ol>
            </div>
          )}
        </CardBody>
      </Card>
    </div>
  );
}
