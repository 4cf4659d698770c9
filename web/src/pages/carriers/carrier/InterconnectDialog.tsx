import { useEffect, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { Button, Dialog, Field, IconButton, Input, Select, toast } from "../../../components";
import { api, fieldErrors } from "../../../lib/api";
import type { Carrier, Direction, Interconnect } from "../types";
import { DIRECTION_LABEL, IC_STATUS_LABEL, allowedDirections, carrierCurrencies } from "./labels";
import { keys } from "./queries";
import { FormError, SectionHeading, errorsUnder } from "./ui";

type Transport = "udp" | "tcp" | "tls";
interface AddressRow {
  key: number;
  address: string;
  port: string;
}
interface SendToRow {
  key: number;
  address: string;
  port: string;
  transport: Transport;
}
interface Form {
  name: string;
  direction: Direction;
  currency: string;
  status: Interconnect["status"];
  capacityMode: "unrestricted" | "limited";
  capacity: string;
  techPrefix: string;
  addresses: AddressRow[];
  sendTo: SendToRow[];
}

let rowKey = 1;
const newAddress = (): AddressRow => ({ key: rowKey++, address: "", port: "" });
const newSendTo = (): SendToRow => ({ key: rowKey++, address: "", port: "5060", transport: "udp" });

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6 = /^[0-9a-f:]+(\/(12[0-8]|1[01]\d|\d?\d))?$/i;
const isIpOrCidr = (s: string) => IPV4.test(s) || (s.includes(":") && IPV6.test(s));
const isPort = (s: string) => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 65535;

const initial = (carrier: Carrier, direction?: Direction): Form => {
  const dirs = allowedDirections(carrier.type);
  const d = direction && dirs.includes(direction) ? direction : dirs[0]!;
  return {
    name: "",
    direction: d,
    currency: carrier.primaryCurrency,
    status: "active",
    capacityMode: "unrestricted",
    capacity: "",
    techPrefix: "",
    addresses: [newAddress()],
    sendTo: [newSendTo()],
  };
};

/** Add an interconnect to a carrier; on success opens the new interconnect's page. */
export function InterconnectDialog({ open, onClose, carrier, direction }: { open: boolean; onClose: () => void; carrier: Carrier; direction?: Direction }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState<Form>(() => initial(carrier, direction));
  const [local, setLocal] = useState<Record<string, string>>({});
  const dirs = allowedDirections(carrier.type);
  const currencies = carrierCurrencies(carrier);

  const save = useMutation({
    mutationFn: () => {
      const addresses = form.addresses.filter((a) => a.address.trim()).map((a) => ({ address: a.address.trim(), port: a.port.trim() ? Number(a.port) : null }));
      const body: Record<string, unknown> = {
        name: form.name.trim(),
        direction: form.direction,
        currency: form.currency,
        status: form.status,
        capacity: form.capacityMode === "limited" ? Number(form.capacity) : null,
        addresses,
      };
      if (form.direction === "ingress") body.ingressValidation = { techPrefix: form.techPrefix.trim() };
      else
        body.egressRouting = {
          techPrefix: form.techPrefix.trim(),
          sendTo: form.sendTo.filter((s) => s.address.trim()).map((s) => ({ address: s.address.trim(), port: Number(s.port), transport: s.transport })),
        };
      return api.post<Interconnect>(`/carriers/${carrier.id}/interconnects`, body);
    },
    onSuccess: (ic) => {
      void qc.invalidateQueries({ queryKey: keys.interconnects });
      void qc.invalidateQueries({ queryKey: keys.carriers });
      void qc.invalidateQueries({ queryKey: ["carrier", carrier.id] });
      toast.success(`Added interconnect ${ic.name}`, { description: `${DIRECTION_LABEL[ic.direction]} · ${ic.currency}` });
      onClose();
      navigate(`/carriers/interconnects/${ic.id}`);
    },
  });

  const { reset } = save;
  useEffect(() => {
    if (open) {
      setForm(initial(carrier, direction));
      setLocal({});
      reset();
    }
  }, [open, carrier.id, direction, reset]);

  const server = fieldErrors(save.error);
  const err = (k: string): string | string[] | undefined => local[k] ?? server[k];
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setLocal((l) => ({ ...l, [k]: "" }));
  };
  const setAddress = (key: number, patch: Partial<AddressRow>) => setForm((f) => ({ ...f, addresses: f.addresses.map((a) => (a.key === key ? { ...a, ...patch } : a)) }));
  const setSendTo = (key: number, patch: Partial<SendToRow>) => setForm((f) => ({ ...f, sendTo: f.sendTo.map((s) => (s.key === key ? { ...s, ...patch } : s)) }));

  const validate = () => {
    const e: Record<string, string> = {};
    if (!form.name.trim()) e.name = "Enter a name";
    if (form.capacityMode === "limited" && (!/^\d+$/.test(form.capacity) || Number(form.capacity) < 1 || Number(form.capacity) > 1_000_000)) e.capacity = "A whole number of channels from 1 to 1,000,000";
    if (!/^[0-9#*]{0,16}$/.test(form.techPrefix.trim())) e.techPrefix = "Up to 16 digits, # or *";
    form.addresses
      .filter((a) => a.address.trim())
      .forEach((a, i) => {
        if (!isIpOrCidr(a.address.trim())) e[`addresses.${i}.address`] = "An IPv4/IPv6 address or CIDR";
        if (a.port.trim() && !isPort(a.port.trim())) e[`addresses.${i}.port`] = "Port 1–65535";
      });
    if (form.direction === "egress") {
      const rows = form.sendTo.filter((s) => s.address.trim());
      if (rows.length === 0) e["egressRouting.sendTo"] = "Add at least one address to send calls to";
      rows.forEach((s, i) => {
        if (!isPort(s.port.trim())) e[`egressRouting.sendTo.${i}.port`] = "Port 1–65535";
      });
    }
    setLocal(e);
    return Object.keys(e).length === 0;
  };
  const submit = (ev?: FormEvent) => {
    ev?.preventDefault();
    if (validate()) save.mutate();
  };

  // Address rows are filtered before sending, so error indexes count only filled rows.
  const filledIndex = (rows: { key: number; address: string }[], key: number) => rows.filter((r) => r.address.trim()).findIndex((r) => r.key === key);
  const techKey = form.direction === "ingress" ? "ingressValidation.techPrefix" : "egressRouting.techPrefix";
  const handled = (k: string) => ["name", "direction", "currency", "status", "capacity", "addresses", "ingressValidation", "egressRouting"].some((p) => k === p || k.startsWith(`${p}.`));
  const general = save.error && !Object.keys(server).some(handled) ? save.error : null;
  const sendToErrors = local["egressRouting.sendTo"] ?? server["egressRouting.sendTo"];
  const addressListErrors = server.addresses;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!save.isPending}
      size="lg"
      title="Add Interconnect"
      description={`${carrier.name}: ${dirs.length === 2 ? "ingress (customer traffic in) or egress (calls out to the carrier)" : dirs[0] === "ingress" ? "customer carrier, ingress only" : "supplier carrier, egress only"}.`}
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="interconnect-form" loading={save.isPending}>
            Add interconnect
          </Button>
        </>
      }
    >
      <form id="interconnect-form" onSubmit={submit} noValidate className="flex flex-col gap-4">
        <div className="grid grid-cols-1 gap-3.5 sm:grid-cols-2">
          <Field label="Name" required error={err("name")} className="sm:col-span-2">
            <Input value={form.name} onChange={(e) => set("name", e.target.value)} maxLength={120} autoComplete="off" placeholder={`e.g. ${carrier.name.split(" ")[0]} ${form.direction === "ingress" ? "IN" : "OUT"}`} data-autofocus />
          </Field>
          <Field label="Direction" required error={err("direction")} hint={dirs.length === 1 ? `A ${carrier.type} carrier has only ${dirs[0]} interconnects.` : undefined}>
            <Select value={form.direction} onChange={(e) => set("direction", e.target.value as Direction)} options={dirs.map((d) => ({ value: d, label: DIRECTION_LABEL[d] }))} disabled={dirs.length === 1} />
          </Field>
          <Field label="Currency" required error={err("currency")} hint="One of the carrier's currencies; services inherit it.">
            <Select value={form.currency} onChange={(e) => set("currency", e.target.value)} options={currencies.map((c) => ({ value: c, label: c }))} />
          </Field>
          <Field label="Status" error={err("status")}>
            <Select value={form.status} onChange={(e) => set("status", e.target.value as Form["status"])} options={(Object.keys(IC_STATUS_LABEL) as Form["status"][]).map((s) => ({ value: s, label: IC_STATUS_LABEL[s] }))} />
          </Field>
          <Field label="Capacity" error={err("capacity")}>
            <div className="flex items-center gap-2">
              <Select
                aria-label="Capacity mode"
                value={form.capacityMode}
                onChange={(e) => set("capacityMode", e.target.value as Form["capacityMode"])}
                options={[
                  { value: "unrestricted", label: "Unrestricted" },
                  { value: "limited", label: "Limited to" },
                ]}
                wrapperClassName="w-36 shrink-0"
              />
              {form.capacityMode === "limited" && <Input aria-label="Capacity channels" inputMode="numeric" value={form.capacity} onChange={(e) => set("capacity", e.target.value)} placeholder="e.g. 100" trailing="ch" invalid={!!err("capacity")} />}
            </div>
          </Field>
          <Field label={form.direction === "ingress" ? "Ingress Tech Prefix" : "Egress Tech Prefix"} error={err("techPrefix") || err(techKey)} hint={form.direction === "ingress" ? "Identifies this customer's calls, e.g. 1001#." : "Prepended to calls sent to the supplier."}>
            <Input value={form.techPrefix} onChange={(e) => set("techPrefix", e.target.value)} className="font-mono" maxLength={16} placeholder="none" autoComplete="off" />
          </Field>
        </div>

        <section aria-label="Signalling addresses" className="flex flex-col gap-2">
          <SectionHeading
            actions={
              <Button size="xs" variant="ghost" icon={<Plus className="size-3" />} onClick={() => setForm((f) => ({ ...f, addresses: [...f.addresses, newAddress()] }))} disabled={form.addresses.length >= 50}>
                Add address
              </Button>
            }
          >
            Signalling addresses
          </SectionHeading>
          <p className="-mt-1 text-xs text-fg-subtle">{form.direction === "ingress" ? "IPs or CIDR ranges calls arrive from (IP authentication)." : "IPs the supplier signals from (replies, OPTIONS)."} Port optional.</p>
          {form.addresses.map((a, i) => {
            const idx = filledIndex(form.addresses, a.key);
            const aErr = idx >= 0 ? (err(`addresses.${idx}.address`) ?? errorsUnder(server, `addresses.${idx}`)) : undefined;
            const pErr = idx >= 0 ? err(`addresses.${idx}.port`) : undefined;
            return (
              <div key={a.key} className="flex flex-col gap-1">
                <div className="flex items-center gap-2">
                  <Input aria-label={`Address ${i + 1}`} value={a.address} onChange={(e) => setAddress(a.key, { address: e.target.value })} placeholder="203.0.113.10 or 198.51.100.0/28" className="font-mono" invalid={!!aErr} autoComplete="off" />
                  <Input aria-label={`Port ${i + 1}`} value={a.port} onChange={(e) => setAddress(a.key, { port: e.target.value })} placeholder="any port" inputMode="numeric" className="w-28 font-mono" invalid={!!pErr} />
                  <IconButton label={`Remove address ${i + 1}`} size="sm" icon={<Trash2 className="size-3.5" />} onClick={() => setForm((f) => ({ ...f, addresses: f.addresses.filter((x) => x.key !== a.key) }))} />
                </div>
                {(aErr || pErr) && <p className="text-xs text-red-600 dark:text-red-400">{[aErr, pErr].flat().filter(Boolean).join("; ")}</p>}
              </div>
            );
          })}
          {form.addresses.length === 0 && <p className="text-xs text-fg-subtle">No signalling addresses.</p>}
          {addressListErrors && <p className="text-xs text-red-600 dark:text-red-400">{addressListErrors.join("; ")}</p>}
        </section>

        {form.direction === "egress" && (
          <section aria-label="Send to" className="flex flex-col gap-2">
            <SectionHeading
              actions={
                <Button size="xs" variant="ghost" icon={<Plus className="size-3" />} onClick={() => setForm((f) => ({ ...f, sendTo: [...f.sendTo, newSendTo()] }))} disabled={form.sendTo.length >= 20}>
                  Add destination
                </Button>
              }
            >
              Send to
            </SectionHeading>
            <p className="-mt-1 text-xs text-fg-subtle">Where calls to this supplier go: host or IP, port and transport. At least one.</p>
            {form.sendTo.map((s, i) => {
              const idx = filledIndex(form.sendTo, s.key);
              const rowErr = idx >= 0 ? [err(`egressRouting.sendTo.${idx}.port`), errorsUnder(server, `egressRouting.sendTo.${idx}`)].flat().filter(Boolean) : [];
              return (
                <div key={s.key} className="flex flex-col gap-1">
                  <div className="flex items-center gap-2">
                    <Input aria-label={`Send to address ${i + 1}`} value={s.address} onChange={(e) => setSendTo(s.key, { address: e.target.value })} placeholder="sip.supplier.example or 192.0.2.50" className="font-mono" invalid={rowErr.length > 0 || (!!sendToErrors && !s.address.trim())} autoComplete="off" />
                    <Input aria-label={`Send to port ${i + 1}`} value={s.port} onChange={(e) => setSendTo(s.key, { port: e.target.value })} inputMode="numeric" className="w-24 font-mono" />
                    <Select aria-label={`Transport ${i + 1}`} value={s.transport} onChange={(e) => setSendTo(s.key, { transport: e.target.value as Transport })} options={[{ value: "udp", label: "UDP" }, { value: "tcp", label: "TCP" }, { value: "tls", label: "TLS" }]} wrapperClassName="w-24 shrink-0" />
                    <IconButton label={`Remove destination ${i + 1}`} size="sm" icon={<Trash2 className="size-3.5" />} onClick={() => setForm((f) => ({ ...f, sendTo: f.sendTo.filter((x) => x.key !== s.key) }))} disabled={form.sendTo.length <= 1} />
                  </div>
                  {rowErr.length > 0 && <p className="text-xs text-red-600 dark:text-red-400">{rowErr.join("; ")}</p>}
                </div>
              );
            })}
            {sendToErrors && <p className="text-xs text-red-600 dark:text-red-400">{Array.isArray(sendToErrors) ? sendToErrors.join("; ") : sendToErrors}</p>}
          </section>
        )}
        {general && <FormError error={general} />}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
