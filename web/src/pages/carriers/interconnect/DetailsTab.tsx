import { Plus, X } from "lucide-react";
import { Badge, Button, Field, IconButton, Input, Select } from "../../../components";
import type { SignallingAddress } from "../types";
import { NumberInput, ReadOnlyField } from "./fields";
import { RatingPlanSelect } from "../RatingPlanSelect";
import { Section, TabGrid, type TabProps } from "./shared";

export const STATUS_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "testing", label: "Testing" },
  { value: "disabled", label: "Disabled" },
];

/** Tab 1 (both directions): capacity, status, currency, signalling addresses. */
export function DetailsTab({ ic, carrier, draft, set, err, disabled }: TabProps) {
  const currencies = carrier ? [carrier.primaryCurrency, carrier.currency2, carrier.currency3].filter((c): c is string => !!c) : [draft.currency];
  if (!currencies.includes(draft.currency)) currencies.unshift(draft.currency);
  const ingress = ic.direction === "ingress";
  return (
    <TabGrid>
      <Section title="Details" description={ingress ? "Customer trunk: calls arrive from this carrier." : "Supplier trunk: calls are sent to this carrier."}>
        <Field label="Interconnect name" error={err("name")} required className="sm:col-span-2">
          <Input value={draft.name} onChange={(e) => set({ name: e.target.value })} disabled={disabled} maxLength={120} autoComplete="off" />
        </Field>
        <ReadOnlyField label="Direction" hint="Fixed when the interconnect is created.">
          <Badge tone={ingress ? "info" : "accent"}>{ingress ? "Ingress" : "Egress"}</Badge>
          <span className="truncate">{ingress ? "customer traffic in" : "supplier traffic out"}</span>
        </ReadOnlyField>
        <Field label="Status" error={err("status")} hint={draft.status === "testing" ? "Only test calls are accepted." : draft.status === "disabled" ? "No calls use this interconnect." : "Carries live traffic."}>
          <Select value={draft.status} onChange={(e) => set({ status: e.target.value as typeof draft.status })} disabled={disabled} options={STATUS_OPTIONS} />
        </Field>
        <Field label="Capacity" error={err("capacity")} hint="Concurrent calls. Blank = unrestricted (carrier limit still applies).">
          <NumberInput value={draft.capacity} onChange={(capacity) => set({ capacity })} placeholder="Unrestricted" unit="channels" disabled={disabled} maxDigits={7} />
        </Field>
        <Field
          label="Currency"
          error={err("currency")}
          hint={ingress && ic.serviceCount > 0 ? `Inherited by ${ic.serviceCount} service${ic.serviceCount === 1 ? "" : "s"}; cannot change while they exist.` : `One of ${carrier?.name ?? "the carrier"}'s currencies.`}
        >
          <Select value={draft.currency} onChange={(e) => set({ currency: e.target.value })} disabled={disabled || (ingress && ic.serviceCount > 0)} options={currencies.map((c) => ({ value: c, label: c }))} />
        </Field>
        {!ingress && (
          <RatingPlanSelect
            label="Supplier rating plan"
            kind="supplier"
            currency={draft.currency}
            value={draft.supplierRatingPlanId}
            onChange={(supplierRatingPlanId) => set({ supplierRatingPlanId })}
            error={err("supplierRatingPlanId")}
            disabled={disabled}
            className="sm:col-span-2"
          />
        )}
      </Section>
      <Section
        title="Signalling IPs"
        description={ingress ? "Calls from these addresses are matched to this interconnect." : "Addresses the supplier signals from (responses, OPTIONS)."}
        bodyClassName="flex flex-col gap-2"
        actions={
          !disabled && (
            <Button size="sm" icon={<Plus className="size-3.5" />} onClick={() => set({ addresses: [...draft.addresses, { address: "", port: 5060 }] })} disabled={draft.addresses.length >= 50}>
              Add address
            </Button>
          )
        }
      >
        <AddressesEditor addresses={draft.addresses} onChange={(addresses) => set({ addresses })} err={err} disabled={disabled} />
        {err("addresses") && <p className="text-xs text-red-600 dark:text-red-400">{err("addresses")!.join("; ")}</p>}
      </Section>
    </TabGrid>
  );
}

function AddressesEditor({ addresses, onChange, err, disabled }: { addresses: SignallingAddress[]; onChange: (a: SignallingAddress[]) => void; err: TabProps["err"]; disabled: boolean }) {
  if (!addresses.length) return <p className="rounded-md border border-dashed border-line px-3 py-4 text-center text-sm text-fg-muted">No signalling addresses.{!disabled && " Add the carrier's IPs or CIDR ranges."}</p>;
  const update = (i: number, patch: Partial<SignallingAddress>) => onChange(addresses.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  return (
    <div className="flex flex-col gap-1.5" role="table" aria-label="Signalling addresses">
      <div role="row" className="grid grid-cols-[1.5rem_minmax(0,1fr)_7rem_1.75rem] gap-2 px-0.5 text-2xs font-medium tracking-wide text-fg-subtle uppercase">
        <span role="columnheader">#</span>
        <span role="columnheader">IP address or CIDR</span>
        <span role="columnheader">Port</span>
        <span role="columnheader" className="sr-only">
          Remove
        </span>
      </div>
      {addresses.map((a, i) => {
        const e = [...(err(`addresses.${i}.address`) ?? []), ...(err(`addresses.${i}.port`) ?? []), ...(err(`addresses.${i}`) ?? [])];
        return (
          <div key={i} role="row" className="flex flex-col gap-1">
            <div className="grid grid-cols-[1.5rem_minmax(0,1fr)_7rem_1.75rem] items-center gap-2">
              <span className="text-center text-xs text-fg-subtle tabular">{i + 1}</span>
              <Input
                size="sm"
                aria-label={`Address ${i + 1}`}
                value={a.address}
                onChange={(ev) => update(i, { address: ev.target.value })}
                placeholder="203.0.113.10 or 198.51.100.0/28"
                className="font-mono"
                invalid={!!err(`addresses.${i}.address`)}
                disabled={disabled}
              />
              <NumberInput size="sm" aria-label={`Port ${i + 1}`} value={a.port} onChange={(port) => update(i, { port })} placeholder="any" disabled={disabled} maxDigits={5} />
              <IconButton size="sm" label={`Remove address ${i + 1}`} icon={<X className="size-3.5" />} onClick={() => onChange(addresses.filter((_, j) => j !== i))} disabled={disabled} />
            </div>
            {e.length > 0 && <p className="pl-8 text-xs text-red-600 dark:text-red-400">{e.join("; ")}</p>}
          </div>
        );
      })}
      <p className="text-xs text-fg-subtle">Blank port = any port.</p>
    </div>
  );
}
