import { useState, type ReactNode } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Pencil, RotateCcw } from "lucide-react";
import { Badge, Button, Card, CardBody, CardHeader, ConfirmDialog, ErrorState, SkeletonText, TimeCell, toast } from "../../../components";
import { api } from "../../../lib/api";
import type { Carrier, CreditControl } from "../types";
import { BILLING_LABEL, BREACH_LABEL, CARRIER_TYPE_LABEL, CARRIER_TYPE_TONE, CREDIT_TYPE_LABEL, SPEND_MODE_LABEL, label } from "./labels";
import { formatMoney } from "./money";
import { keys, useCreditControl } from "./queries";
import { Amount, DetailList, MoneyBadge, SectionHeading } from "./ui";

interface Props {
  carrier: Carrier;
  canWrite: boolean;
  onEditDetails: () => void;
  onEditCredit: () => void;
}

/** Tab 1: Carrier Details | Credit Control | Credit Settings, side by side on wide screens. */
export function CarrierDetailsTab({ carrier, canWrite, onEditDetails, onEditCredit }: Props) {
  return (
    <div className="@container">
      <div className="grid grid-cols-1 items-start gap-4 @3xl:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)] @[66rem]:grid-cols-[minmax(15rem,1fr)_minmax(0,1.6fr)_minmax(15rem,1fr)]">
        <DetailsCard carrier={carrier} canWrite={canWrite} onEdit={onEditDetails} />
        <CreditControlCard carrier={carrier} canWrite={canWrite} className="@3xl:row-span-2 @[66rem]:row-span-1" />
        <CreditSettingsCard carrier={carrier} canWrite={canWrite} onEdit={onEditCredit} />
      </div>
    </div>
  );
}

function EditButton({ onClick, label: text }: { onClick: () => void; label: string }) {
  return (
    <Button size="xs" icon={<Pencil className="size-3" />} onClick={onClick} aria-label={text}>
      Edit
    </Button>
  );
}

function DetailsCard({ carrier: c, canWrite, onEdit }: { carrier: Carrier; canWrite: boolean; onEdit: () => void }) {
  return (
    <Card>
      <CardHeader title="Carrier Details" actions={canWrite && <EditButton onClick={onEdit} label="Edit carrier details" />} />
      <CardBody className="flex flex-col gap-4">
        <DetailList
          labels="fit"
          items={[
            { label: "Carrier Name", value: c.name },
            { label: "Type", value: <Badge tone={CARRIER_TYPE_TONE[c.type]}>{CARRIER_TYPE_LABEL[c.type]}</Badge> },
            { label: "Time Zone", value: c.timeZone },
            { label: "Account Manager", value: c.accountManagerName ?? <span className="text-fg-subtle">None</span>, title: c.accountManagerName ?? undefined },
            { label: "Customer Billing", value: label(BILLING_LABEL, c.customerBilling) },
          ]}
        />
        <section aria-label="Currency" className="flex flex-col gap-2 border-t border-line pt-3">
          <SectionHeading>Currency</SectionHeading>
          <DetailList
            labels="fit"
            items={[
              { label: "Primary Currency", value: <span className="font-mono">{c.primaryCurrency}</span> },
              { label: "Currency 2", value: c.currency2 ? <span className="font-mono">{c.currency2}</span> : <span className="text-fg-subtle">—</span> },
              { label: "Currency 3", value: c.currency3 ? <span className="font-mono">{c.currency3}</span> : <span className="text-fg-subtle">—</span> },
            ]}
          />
        </section>
        <section aria-label="Routing" className="flex flex-col gap-2 border-t border-line pt-3">
          <SectionHeading>Routing</SectionHeading>
          <DetailList
            labels="fit"
            items={[
              { label: "Capacity", value: c.routingCapacity === null ? "Unrestricted" : `${c.routingCapacity.toLocaleString("en-US")} channels` },
              { label: "Circular Routing", value: c.circularRouting ? "Enabled" : "Disabled" },
            ]}
          />
        </section>
      </CardBody>
    </Card>
  );
}

// ── Credit control ──

const th = "h-7 border-b border-line bg-surface-2 px-2 text-left text-2xs font-medium whitespace-nowrap text-fg-muted first:pl-3 last:pr-3";
const td = "h-8 border-b border-line px-2 whitespace-nowrap first:pl-3 last:pr-3 group-last/row:border-b-0";

function MiniTable({ label: caption, head, children }: { label: string; head: ReactNode[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-md border border-line">
      <table className="w-full border-separate border-spacing-0 text-sm" aria-label={caption}>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className={clsx(th, i >= 2 && "text-right")}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function CreditControlCard({ carrier, canWrite, className }: { carrier: Carrier; canWrite: boolean; className?: string }) {
  const cc = useCreditControl(carrier.id);
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState<"customer" | "supplier" | null>(null);
  const reset = useMutation({
    mutationFn: (direction: "customer" | "supplier") => api.post<CreditControl>(`/carriers/${carrier.id}/spend-reset`, { direction }),
    onSuccess: (data, direction) => {
      qc.setQueryData(keys.creditControl(carrier.id), data);
      void qc.invalidateQueries({ queryKey: keys.carrier(carrier.id) });
      toast.success(`Reset the ${direction} 24 hour spend of ${carrier.name}`);
    },
  });

  let body: ReactNode;
  if (cc.isLoading) body = <SkeletonText lines={7} />;
  else if (cc.error || !cc.data) body = <ErrorState error={cc.error} compact onRetry={() => void cc.refetch()} retrying={cc.isFetching} />;
  else {
    const data = cc.data;
    const several = data.currencies.length > 1;
    body = (
      <div className="flex flex-col gap-5">
        {data.currencies.map((cur) => {
          const net = cur.customer && cur.supplier ? (cur.bilateral?.netExposure ?? null) : null;
          return (
            <section key={cur.currency} aria-label={`Credit control ${cur.currency}`} className="flex flex-col gap-2">
              {several && (
                <SectionHeading>
                  {cur.currency}
                  {cur.currency === carrier.primaryCurrency ? " · primary (limits apply)" : ""}
                </SectionHeading>
              )}
              <MiniTable label={`Credit control ${cur.currency}`} head={["Direction", "$/£", "Credit", "Remaining", "Limit"]}>
                {cur.customer && (
                  <tr className="group/row">
                    <td className={td}>Customer</td>
                    <td className={clsx(td, "font-mono text-xs text-fg-muted")}>{cur.currency}</td>
                    <td className={clsx(td, "text-right")}>
                      <MoneyBadge amount={cur.customer.balance} limit={cur.customer.limit} remaining={cur.customer.remaining} />
                    </td>
                    <td className={clsx(td, "text-right")}>
                      <Amount value={cur.customer.remaining} />
                    </td>
                    <td className={clsx(td, "text-right")}>
                      <Amount value={cur.customer.limit} />
                    </td>
                  </tr>
                )}
                {cur.supplier && (
                  <tr className="group/row">
                    <td className={td}>Supplier</td>
                    <td className={clsx(td, "font-mono text-xs text-fg-muted")}>{cur.currency}</td>
                    <td className={clsx(td, "text-right")}>
                      <MoneyBadge amount={cur.supplier.balance} noLimitNegative="neutral" />
                    </td>
                    <td className={clsx(td, "text-right")}>
                      <Amount value={null} />
                    </td>
                    <td className={clsx(td, "text-right")}>
                      <Amount value={null} />
                    </td>
                  </tr>
                )}
                {cur.bilateral && (
                  <tr className="group/row">
                    <td className={td}>Bilateral</td>
                    <td className={clsx(td, "font-mono text-xs text-fg-muted")}>{cur.currency}</td>
                    <td className={clsx(td, "text-right")}>
                      <MoneyBadge amount={cur.bilateral.netExposure} limit={cur.bilateral.limit} remaining={cur.bilateral.remaining} noLimitNegative="neutral" />
                    </td>
                    <td className={clsx(td, "text-right")}>
                      <Amount value={cur.bilateral.remaining} />
                    </td>
                    <td className={clsx(td, "text-right")}>
                      <Amount value={cur.bilateral.limit} />
                    </td>
                  </tr>
                )}
              </MiniTable>
              {net !== null && (
                <p className="text-xs text-fg-muted">
                  Net exposure = customer − supplier ={" "}
                  <span className="font-mono font-medium text-fg tabular">
                    {formatMoney(net)} {cur.currency}
                  </span>
                  {cur.customer && toMicrosNonZero(cur.customer.pending) && <span> · {formatMoney(cur.customer.pending)} pending</span>}
                </p>
              )}
              <MiniTable label={`24 Hour Spend Limit ${cur.currency}`} head={["Direction", "$/£", "24 Hr Spend", "Remaining", "Limit", "Action"]}>
                {(["customer", "supplier"] as const).map((dir) => {
                  const line = cur.spend24h[dir];
                  if (!line) return null;
                  return (
                    <tr key={dir} className="group/row">
                      <td className={td}>{dir === "customer" ? "Customer" : "Supplier"}</td>
                      <td className={clsx(td, "font-mono text-xs text-fg-muted")}>{cur.currency}</td>
                      <td className={clsx(td, "text-right")}>
                        <MoneyBadge amount={line.spend} limit={line.limit} remaining={line.remaining} />
                      </td>
                      <td className={clsx(td, "text-right")}>
                        <Amount value={line.remaining} />
                      </td>
                      <td className={clsx(td, "text-right")}>
                        <Amount value={line.limit} />
                      </td>
                      <td className={clsx(td, "text-right")}>
                        <Button size="xs" icon={<RotateCcw className="size-3" />} disabled={!canWrite} onClick={() => setConfirm(dir)} aria-label={`Reset ${dir} 24 hour spend${several ? ` (${cur.currency})` : ""}`}>
                          Reset
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </MiniTable>
            </section>
          );
        })}
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-fg-subtle">
          {data.currencies.some((c) => c.spend24h.customer) && (
            <span>
              Customer spend reset: <TimeCell value={data.customerSpendResetAt} empty="never" />
            </span>
          )}
          {data.currencies.some((c) => c.spend24h.supplier) && (
            <span>
              Supplier spend reset: <TimeCell value={data.supplierSpendResetAt} empty="never" />
            </span>
          )}
        </p>
      </div>
    );
  }

  return (
    <Card className={className}>
      <CardHeader title="Credit Control" description="Balances and 24 hour spend from the ledger." />
      <CardBody>{body}</CardBody>
      <ConfirmDialog
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        title={`Reset the ${confirm ?? ""} 24 hour spend?`}
        message={`The ${confirm ?? ""} 24 hour spend of ${carrier.name} counts from now on, in every currency. Use this after clearing a spend limit breach.`}
        confirmLabel="Reset spend"
        onConfirm={() => (confirm ? reset.mutateAsync(confirm) : undefined)}
      />
    </Card>
  );
}

const toMicrosNonZero = (v: string) => /[1-9]/.test(v);

// ── Credit settings ──

function CreditSettingsCard({ carrier: c, canWrite, onEdit }: { carrier: Carrier; canWrite: boolean; onEdit: () => void }) {
  const money = (v: string | null, empty = "No limit") =>
    v === null ? (
      <span className="text-fg-subtle">{empty}</span>
    ) : (
      <span className="font-mono text-xs">
        {formatMoney(v)} <span className="text-fg-subtle">{c.primaryCurrency}</span>
      </span>
    );
  return (
    <Card>
      <CardHeader title="Credit Settings" actions={canWrite && <EditButton onClick={onEdit} label="Edit credit settings" />} />
      <CardBody className="flex flex-col gap-4">
        {c.type !== "supplier" && (
          <section aria-label="Customer Credit Settings" className="flex flex-col gap-2">
            <SectionHeading>Customer Credit Settings</SectionHeading>
            <DetailList
              items={[
                { label: "Credit Type", value: label(CREDIT_TYPE_LABEL, c.customerCreditType) },
                { label: "Credit Limit", value: money(c.customerCreditLimit), title: `${formatMoney(c.customerCreditLimit)} ${c.primaryCurrency}` },
                ...(c.type === "bilateral"
                  ? [
                      { label: "Bilateral Limit", value: money(c.bilateralLimit) },
                      { label: "Bilateral Limit Breach", value: label(BREACH_LABEL, c.bilateralLimitBreach) },
                    ]
                  : []),
                { label: "24 Hr Spend Limit", value: money(c.customerSpendLimit24h) },
                { label: "24 Hr Spend Limit Breach", value: label(BREACH_LABEL, c.customerSpendBreach) },
                { label: "24 Hr Spend Mode", value: label(SPEND_MODE_LABEL, c.customerSpendMode) },
              ]}
            />
          </section>
        )}
        {c.type !== "customer" && (
          <section aria-label="Supplier Credit Settings" className={clsx("flex flex-col gap-2", c.type !== "supplier" && "border-t border-line pt-3")}>
            <SectionHeading>Supplier Credit Settings</SectionHeading>
            <DetailList
              items={[
                { label: "Credit Type", value: label(CREDIT_TYPE_LABEL, c.supplierCreditType) },
                { label: "24 Hr Spend Limit", value: money(c.supplierSpendLimit24h) },
                { label: "24 Hr Spend Limit Breach", value: label(BREACH_LABEL, c.supplierSpendBreach) },
              ]}
            />
          </section>
        )}
      </CardBody>
    </Card>
  );
}
