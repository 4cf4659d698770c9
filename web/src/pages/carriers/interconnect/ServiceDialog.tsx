import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Link } from "react-router";
import { useMutation } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { Badge, Button, ConfirmDialog, Dialog, Field, Input, Select, toast } from "../../../components";
import { RatingPlanSelect } from "../RatingPlanSelect";
import { RoutingPlanSelect } from "../../routing/RoutingPlanSelect";
import { ApiError, api, fieldErrors } from "../../../lib/api";
import { formatFull, formatRelative, shortId } from "../../../lib/format";
import type { Service } from "../types";
import { ErrorBanner, NumberInput, PrefixInput, RadioGroup, ReadOnlyField } from "./fields";
import { useCarrier, useInterconnect, useInterconnectOptions, useInvalidateHierarchy } from "./hooks";
import { cleanTechPrefix } from "./IngressTabs";
import { SearchSelect } from "./SearchSelect";
import { ToggleRow } from "./shared";

export interface ServiceDialogProps {
  open: boolean;
  onClose: () => void;
  /** The service to edit; null or undefined adds a new one. */
  service?: Service | null;
  /** Adding: the ingress interconnect the service belongs to. Without it the dialog asks for one. */
  interconnectId?: string;
  /** Adding without an interconnect: offer only this carrier's ingress interconnects. */
  carrierId?: string;
  readOnly?: boolean;
  onSaved?: (service: Service) => void;
}

type Form = Omit<Service, "id" | "carrierId" | "carrierName" | "interconnectId" | "interconnectName" | "currency" | "routeToInterconnectName" | "ratingPlanName" | "createdAt" | "updatedAt">;

const DEFAULTS: Form = {
  name: "",
  status: "active",
  ratingPlanId: null,
  routingPlanId: null,
  timeClass: null,
  capacity: null,
  allowTranscoding: false,
  routingMethod: "routing_plan",
  routeToInterconnectId: null,
  npStatus: "disabled",
  npPlan: null,
  originationBlacklist: true,
  originationExceptions: [],
  destinationBlacklist: true,
  destinationExceptions: [],
  originationMatch: [],
  destinationMatch: [],
  techPrefix: "",
  priority: 100,
  enforcementPolicy: "enforce",
};

const fromService = (s: Service | null | undefined): Form => {
  if (!s) return { ...DEFAULTS };
  const out = { ...DEFAULTS };
  for (const k of Object.keys(DEFAULTS) as (keyof Form)[]) (out as Record<string, unknown>)[k] = s[k];
  return out;
};

function SectionTitle({ children }: { children: ReactNode }) {
  return <h3 className="col-span-full -mb-1 border-b border-line pb-1.5 text-2xs font-semibold tracking-wide text-fg-subtle uppercase">{children}</h3>;
}

/** Add/Edit Service: every Digitalk service field, in two columns of sections. */
export function ServiceDialog({ open, onClose, service, interconnectId, carrierId, readOnly, onSaved }: ServiceDialogProps) {
  const editing = !!service;
  const [form, setForm] = useState<Form>(() => fromService(service));
  const [pickedIc, setPickedIc] = useState<string>("");
  const [local, setLocal] = useState<Record<string, string>>({});
  const [confirmDelete, setConfirmDelete] = useState(false);
  const topRef = useRef<HTMLDivElement>(null);
  const invalidate = useInvalidateHierarchy();

  const icId = service?.interconnectId ?? interconnectId ?? (pickedIc || undefined);
  const ic = useInterconnect(open ? icId : undefined);
  const carrier = useCarrier(open ? (ic.data?.carrierId ?? service?.carrierId) : undefined);
  const ingressChoices = useInterconnectOptions({ direction: "ingress", carrierId, enabled: open && !editing && !interconnectId });
  const egress = useInterconnectOptions({ direction: "egress", enabled: open });

  const save = useMutation({
    mutationFn: async () => {
      const body: Record<string, unknown> = {
        ...form,
        name: form.name.trim(),
        timeClass: form.timeClass?.trim() || null,
        npPlan: form.npPlan?.trim() || null,
        routingPlanId: form.routingMethod === "routing_plan" ? form.routingPlanId : null,
        routeToInterconnectId: form.routingMethod === "interconnect" ? form.routeToInterconnectId : null,
      };
      if (!editing) return api.post<Service>(`/interconnects/${icId}/services`, body);
      const original = fromService(service) as unknown as Record<string, unknown>;
      if (Object.entries(body).every(([k, v]) => JSON.stringify(v) === JSON.stringify(original[k]))) return service;
      // Every field is sent: the server's PATCH schema resets omitted fields to their create defaults.
      return api.patch<Service>(`/services/${service.id}`, body);
    },
    onSuccess: (saved) => {
      void invalidate();
      toast.success(editing ? `Saved ${saved.name}` : `Added ${saved.name} to ${saved.interconnectName}`);
      onSaved?.(saved);
      onClose();
    },
    onError: () => requestAnimationFrame(() => topRef.current?.scrollIntoView({ block: "start", behavior: "smooth" })),
  });

  const { reset } = save;
  useEffect(() => {
    if (open) {
      setForm(fromService(service));
      setPickedIc("");
      setLocal({});
      reset();
    }
    // Restart only when the dialog opens or shows another service (not on refetches).
  }, [open, service?.id, reset]);

  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setLocal((l) => {
      const next = { ...l };
      for (const k of Object.keys(patch)) delete next[k];
      return next;
    });
  };
  const server = fieldErrors(save.error);
  const err = (k: string) => (local[k] ? [local[k]] : server[k]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (readOnly) return;
    const errs: Record<string, string> = {};
    if (!form.name.trim()) errs.name = "Enter a name";
    if (!icId) errs.interconnectId = "Choose the ingress interconnect";
    if (form.routingMethod === "interconnect" && !form.routeToInterconnectId) errs.routeToInterconnectId = "Choose the egress interconnect to route to";
    setLocal(errs);
    if (Object.keys(errs).length === 0) save.mutate();
  };

  const currency = service?.currency ?? ic.data?.currency;
  const circular = carrier.data?.circularRouting ?? false;
  const sameCarrier = ic.data?.carrierId ?? service?.carrierId;
  const egressOptions = (egress.data?.rows ?? []).map((o) => ({
    value: o.id,
    label: o.name,
    detail: `${o.carrierName} · ${o.currency}${o.status !== "active" ? ` · ${o.status}` : ""}`,
    keywords: `${o.carrierName} ${o.currency}`,
    disabled: o.carrierId === sameCarrier && !circular,
    disabledReason: o.carrierId === sameCarrier && !circular ? `${o.carrierName}: circular routing is disabled` : undefined,
  }));
  if (service?.routeToInterconnectId && !egressOptions.some((o) => o.value === service.routeToInterconnectId)) {
    egressOptions.push({ value: service.routeToInterconnectId, label: service.routeToInterconnectName ?? "Unknown", detail: "", keywords: "", disabled: false, disabledReason: undefined });
  }

  const conflict = save.error instanceof ApiError && save.error.status === 409;
  const dis = readOnly || save.isPending;
  const ambiguityTitle = conflict && /match both/i.test((save.error as Error).message) ? "Ambiguous service — calls could match two services" : conflict ? "Conflict" : "Could not save the service";

  return (
    <>
      <Dialog
        open={open}
        onClose={onClose}
        size="xl"
        dismissible={!save.isPending}
        title={readOnly ? (service?.name ?? "Service") : editing ? `Edit ${service.name}` : "Add Service"}
        description={
          editing ? (
            <>
              {service.carrierName} · {service.interconnectName}
            </>
          ) : ic.data ? (
            <>
              {ic.data.carrierName} · {ic.data.name} (ingress)
            </>
          ) : (
            "Links an ingress interconnect to a rating plan and a routing plan."
          )
        }
        footerStart={
          editing ? (
            <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <span className="font-mono" title={service.id}>
                {shortId("svc", service.id)}
              </span>
              <span title={formatFull(service.updatedAt)}>Updated {formatRelative(service.updatedAt)}</span>
              {!readOnly && (
                <button type="button" onClick={() => setConfirmDelete(true)} className="inline-flex items-center gap-1 font-medium text-red-600 hover:underline dark:text-red-400">
                  <Trash2 className="size-3" aria-hidden /> Delete service
                </button>
              )}
            </span>
          ) : undefined
        }
        footer={
          readOnly ? (
            <Button onClick={onClose}>Close</Button>
          ) : (
            <>
              <Button onClick={onClose} disabled={save.isPending}>
                Cancel
              </Button>
              <Button variant="primary" type="submit" form="service-form" loading={save.isPending}>
                {editing ? "Save changes" : "Add Service"}
              </Button>
            </>
          )
        }
      >
        <div ref={topRef} className="scroll-mt-4" />
        {save.error != null && <ErrorBanner error={save.error} title={ambiguityTitle} className="mb-4" />}
        <form id="service-form" onSubmit={submit} noValidate className="grid gap-x-6 gap-y-5 md:grid-cols-2">
          <div className="grid content-start gap-3.5 sm:grid-cols-2">
            <SectionTitle>General</SectionTitle>
            {!editing && !interconnectId && (
              <Field label="Ingress interconnect" required error={err("interconnectId")} className="sm:col-span-2">
                <Select
                  value={pickedIc}
                  onChange={(e) => {
                    setPickedIc(e.target.value);
                    setLocal((l) => ({ ...l, interconnectId: "" }));
                  }}
                  disabled={dis || ingressChoices.isLoading}
                  placeholder={ingressChoices.isLoading ? "Loading…" : ingressChoices.data?.rows.length === 0 ? "No ingress interconnects" : "Choose…"}
                  options={(ingressChoices.data?.rows ?? []).map((o) => ({ value: o.id, label: `${o.name} — ${o.carrierName} (${o.currency})` }))}
                />
              </Field>
            )}
            <Field label="Name" required error={err("name")} className="sm:col-span-2">
              <Input value={form.name} onChange={(e) => set({ name: e.target.value })} disabled={dis} maxLength={120} autoComplete="off" placeholder="e.g. Acme UK Premium" />
            </Field>
            <Field label="Status" error={err("status")}>
              <Select
                value={form.status}
                onChange={(e) => set({ status: e.target.value as Form["status"] })}
                disabled={dis}
                options={[
                  { value: "active", label: "Active" },
                  { value: "disabled", label: "Disabled" },
                ]}
              />
            </Field>
            <Field label="Priority" error={err("priority")} hint="0–1000; lower wins.">
              <NumberInput value={form.priority} nullable={false} fallback={100} onChange={(n) => set({ priority: n ?? 100 })} disabled={dis} maxDigits={4} />
            </Field>
            <Field label="Capacity" error={err("capacity")} hint="Blank = unrestricted.">
              <NumberInput value={form.capacity} onChange={(capacity) => set({ capacity })} placeholder="Unrestricted" unit="ch" disabled={dis} maxDigits={7} />
            </Field>
            <Field label="Time class" error={err("timeClass")} hint="When the service is active.">
              <Input value={form.timeClass ?? ""} onChange={(e) => set({ timeClass: e.target.value || null })} placeholder="Always" disabled={dis} maxLength={60} />
            </Field>
            <Field label="Enforcement policy" error={err("enforcementPolicy")}>
              <Select
                value={form.enforcementPolicy}
                onChange={(e) => set({ enforcementPolicy: e.target.value as Form["enforcementPolicy"] })}
                disabled={dis}
                options={[
                  { value: "enforce", label: "Enforce (block calls)" },
                  { value: "monitor", label: "Monitor (log only)" },
                ]}
              />
            </Field>
            <ReadOnlyField label="Currency" hint="Inherited from the interconnect.">
              {currency ? <Badge mono>{currency}</Badge> : <span className="text-fg-subtle">—</span>}
            </ReadOnlyField>
            <ToggleRow className="sm:col-span-2" label="Allow transcoding" description="Convert codecs when the two sides share none." checked={form.allowTranscoding} onChange={(allowTranscoding) => set({ allowTranscoding })} disabled={dis} />

            <SectionTitle>Rating &amp; Routing</SectionTitle>
            <RatingPlanSelect
              label="Customer rating plan"
              kind="customer"
              currency={currency ?? null}
              value={form.ratingPlanId}
              onChange={(ratingPlanId) => set({ ratingPlanId })}
              error={err("ratingPlanId")}
              disabled={dis}
              className="sm:col-span-2"
            />
            <div className="flex flex-col gap-1.5 sm:col-span-2">
              <span className="text-xs font-medium text-fg">Routing method</span>
              <RadioGroup
                name="routingMethod"
                aria-label="Routing method"
                value={form.routingMethod}
                onChange={(routingMethod) => set({ routingMethod, ...(routingMethod === "routing_plan" ? { routeToInterconnectId: null } : {}) })}
                disabled={dis}
                options={[
                  { value: "routing_plan", label: "Routing plan", description: "LCR / static plan picks the supplier." },
                  { value: "interconnect", label: "Route to interconnect", description: "Send every call to one egress." },
                ]}
              />
            </div>
            {form.routingMethod === "routing_plan" ? (
              <RoutingPlanSelect value={form.routingPlanId} onChange={(routingPlanId) => set({ routingPlanId })} error={err("routingPlanId")} disabled={dis} className="sm:col-span-2" />
            ) : (
              <Field label="Route to interconnect" required error={err("routeToInterconnectId")} hint={circular ? "Any live egress interconnect." : "Live egress interconnects of other carriers (circular routing is off)."} className="sm:col-span-2">
                <SearchSelect
                  value={form.routeToInterconnectId}
                  onChange={(routeToInterconnectId) => set({ routeToInterconnectId })}
                  options={egressOptions}
                  loading={egress.isLoading}
                  disabled={dis}
                  placeholder="Choose an egress interconnect…"
                  aria-label="Route to interconnect"
                />
              </Field>
            )}
          </div>

          <div className="grid content-start gap-3.5 sm:grid-cols-2">
            <SectionTitle>Matching</SectionTitle>
            <Field label="Tech prefix" error={err("techPrefix")} hint={ic.data?.ingressValidation?.techPrefix ? `Blank = the interconnect's (${ic.data.ingressValidation.techPrefix}).` : "Digits, # or *; up to 16."}>
              <Input value={form.techPrefix} onChange={(e) => set({ techPrefix: cleanTechPrefix(e.target.value) })} placeholder={ic.data?.ingressValidation?.techPrefix || "None"} className="font-mono" disabled={dis} autoComplete="off" />
            </Field>
            <div className="hidden sm:block" />
            <Field label="Destination matching prefixes" error={err("destinationMatch")} hint="Blank = every destination." className="sm:col-span-2">
              <PrefixInput value={form.destinationMatch} onChange={(destinationMatch) => set({ destinationMatch })} disabled={dis} noun="destination prefix" />
            </Field>
            <Field label="Origination matching prefixes" error={err("originationMatch")} hint="Blank = every caller." className="sm:col-span-2">
              <PrefixInput value={form.originationMatch} onChange={(originationMatch) => set({ originationMatch })} disabled={dis} noun="origination prefix" />
            </Field>

            <SectionTitle>Blacklists</SectionTitle>
            <ToggleRow
              className="sm:col-span-2"
              label="Origination blacklist"
              description={
                <>
                  Check callers against the{" "}
                  <Link to="/carriers/blacklisting?list=origination" className="text-accent-text hover:underline">
                    origination blacklist
                  </Link>
                  .
                </>
              }
              checked={form.originationBlacklist}
              onChange={(originationBlacklist) => set({ originationBlacklist })}
              disabled={dis}
            />
            <Field label="Origination exceptions" error={err("originationExceptions")} hint="Caller prefixes never blocked." className="sm:col-span-2">
              <PrefixInput value={form.originationExceptions} onChange={(originationExceptions) => set({ originationExceptions })} disabled={dis || !form.originationBlacklist} noun="origination exception" />
            </Field>
            <ToggleRow
              className="sm:col-span-2"
              label="Destination blacklist"
              description={
                <>
                  Check dialled numbers against the{" "}
                  <Link to="/carriers/blacklisting?list=destination" className="text-accent-text hover:underline">
                    destination blacklist
                  </Link>
                  .
                </>
              }
              checked={form.destinationBlacklist}
              onChange={(destinationBlacklist) => set({ destinationBlacklist })}
              disabled={dis}
            />
            <Field label="Destination exceptions" error={err("destinationExceptions")} hint="Destination prefixes never blocked." className="sm:col-span-2">
              <PrefixInput value={form.destinationExceptions} onChange={(destinationExceptions) => set({ destinationExceptions })} disabled={dis || !form.destinationBlacklist} noun="destination exception" />
            </Field>

            <SectionTitle>Number portability</SectionTitle>
            <Field label="NP status" error={err("npStatus")}>
              <Select
                value={form.npStatus}
                onChange={(e) => set({ npStatus: e.target.value as Form["npStatus"], ...(e.target.value === "disabled" ? { npPlan: null } : {}) })}
                disabled={dis}
                options={[
                  { value: "disabled", label: "Disabled" },
                  { value: "enabled", label: "Enabled" },
                ]}
              />
            </Field>
            <Field label="NP plan" error={err("npPlan")} hint={form.npStatus === "enabled" ? "Lookup plan name." : "Only when NP is enabled."}>
              <Input value={form.npPlan ?? ""} onChange={(e) => set({ npPlan: e.target.value || null })} placeholder="None" disabled={dis || form.npStatus !== "enabled"} maxLength={60} />
            </Field>
          </div>
          <button type="submit" hidden />
        </form>
      </Dialog>
      {service && (
        <ConfirmDialog
          open={confirmDelete}
          onClose={() => setConfirmDelete(false)}
          tone="danger"
          title={`Delete ${service.name}?`}
          message={`Calls on ${service.interconnectName} stop matching this service. It moves to the Recycle Bin.`}
          confirmLabel="Delete service"
          onConfirm={async () => {
            await api.del(`/services/${service.id}`);
            void invalidate();
            toast.success(`Deleted ${service.name}`);
            onClose();
          }}
        />
      )}
    </>
  );
}
