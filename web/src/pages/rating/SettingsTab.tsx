import type { ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { Badge, Button, Card, CardBody, CardHeader, EmptyState, KeyValue } from "../../components";
import { api } from "../../lib/api";
import { formatBytes, formatFull, formatNumber } from "../../lib/format";
import { moneyForInput } from "../carriers/carrier/money";
import { daysLabel, formatRate, KIND_LABEL, ratingKeys, type CompiledStats, type RatingPlan } from "./types";

function Section({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <Card>
      <CardHeader title={title} actions={action} />
      <CardBody>{children}</CardBody>
    </Card>
  );
}

/** The compiled plan the server answers lookups from: its size, and when it was built. */
function CompiledCard({ plan }: { plan: RatingPlan }) {
  // Keyed by updatedAt: every change to the plan or its rates compiles a new one.
  const q = useQuery({ queryKey: [...ratingKeys.compiled(plan.id), plan.updatedAt], queryFn: ({ signal }) => api.get<CompiledStats>(`/rating-plans/${plan.id}/compiled`, undefined, signal) });
  const c = q.data;
  return (
    <Section title="Compiled for lookups">
      <KeyValue
        items={[
          { label: "Prefixes", value: c ? `${formatNumber(c.prefixCount)} (${formatNumber(c.versionCount)} rate versions)` : "…" },
          { label: "Memory", value: c ? `${formatBytes(c.typedArrayBytes)} · ${formatNumber(c.bytesPerPrefix)} bytes per prefix` : "…" },
          { label: "Compiled", value: c?.builtAt ? `${formatFull(c.builtAt)} in ${formatNumber(c.buildMs ?? 0)} ms` : c ? "—" : "…" },
        ]}
      />
      <p className="mt-2 text-xs text-fg-muted">A digit trie in typed arrays, rebuilt when a revision is applied or the plan changes; lookups keep using the previous one until the new one is ready.</p>
    </Section>
  );
}

/** Settings & time classes tab: the plan's billing rules, editable with the settings dialog. */
export function SettingsTab({ plan, onEdit }: { plan: RatingPlan; onEdit?: () => void }) {
  const edit = onEdit && (
    <Button size="sm" icon={<Pencil className="size-3.5" />} onClick={onEdit}>
      Edit settings
    </Button>
  );
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Section title="Plan" action={edit}>
        <KeyValue
          items={[
            { label: "Name", value: plan.name },
            { label: "Kind", value: KIND_LABEL[plan.kind] },
            { label: "Currency", value: <span className="font-mono">{plan.currency}</span> },
            { label: "Time zone", value: plan.timeZone },
            { label: "Notice for increases", value: `${plan.noticeDays} days` },
            { label: "Created", value: formatFull(plan.createdAt) },
            { label: "Updated", value: formatFull(plan.updatedAt) },
          ]}
        />
      </Section>
      <Section title="Billing rules">
        <KeyValue
          items={[
            { label: "Increments", value: <span className="font-mono">{plan.incrementFirstS}/{plan.incrementNextS} s</span> },
            { label: "", value: <span className="text-xs text-fg-muted">First {plan.incrementFirstS} s, then every {plan.incrementNextS} s (unless a deck row sets its own).</span> },
            { label: "Minimum duration", value: `${plan.minimumDurationS} s` },
            { label: "Grace period", value: plan.gracePeriodS ? `${plan.gracePeriodS} s (shorter calls are free)` : "none" },
            { label: "Connection fee", value: <span className="font-mono">{formatRate(plan.connectionFee)} {plan.currency}</span> },
            { label: "Rounding precision", value: <span className="font-mono">{moneyForInput(plan.precision)}</span> },
          ]}
        />
      </Section>
      <div className="lg:col-span-2">
        <Section title={`Time classes (${plan.timeClasses.length})`} action={edit}>
          {plan.timeClasses.length === 0 ? (
            <EmptyState title="No time classes" description="Every rate applies at all times. Add peak / off-peak classes to price deck rows by day and time." />
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-xs text-fg-muted">
                <tr>
                  <th className="py-1 font-medium">Name</th>
                  <th className="py-1 font-medium">Days</th>
                  <th className="py-1 font-medium">From</th>
                  <th className="py-1 font-medium">To</th>
                </tr>
              </thead>
              <tbody>
                {plan.timeClasses.map((c) => (
                  <tr key={c.name} className="border-t border-line">
                    <td className="py-1.5">
                      <Badge tone="info">{c.name}</Badge>
                    </td>
                    <td className="py-1.5">{daysLabel(c.days)}</td>
                    <td className="py-1.5 font-mono">{c.start}</td>
                    <td className="py-1.5 font-mono">{c.end}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="mt-2 text-xs text-fg-muted">Times are wall-clock in {plan.timeZone}. A deck row with a time class applies only inside it; rows without one apply at all times.</p>
        </Section>
      </div>
      <CompiledCard plan={plan} />
    </div>
  );
}
