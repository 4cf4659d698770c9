import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { useMutation, useQuery } from "@tanstack/react-query";
import { FlaskConical, Play } from "lucide-react";
import { Badge, Button, Card, EmptyState, Field, Input, Page, PageHeader } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { formatFull, formatRelative, getDisplayTimeZone } from "../../lib/format";
import { FormError, SegmentedControl } from "../carriers/carrier/ui";
import { useServiceOptions } from "../carriers/interconnect/hooks";
import { SearchSelect } from "../carriers/interconnect/SearchSelect";
import { zonedLocalToIso } from "../rating/types";
import { DecisionView } from "./DecisionView";
import type { DecideBody, Decision } from "./types";

interface RoutingStatus {
  builtAt: string | null;
  refreshing: boolean;
  generation: number;
  buildMillis: number | null;
  lastError: string | null;
  counts: { interconnects: number; services: number; routingPlans: number; entries: number; ratingPlans: number; fxRates: number };
  creditEnforced: boolean;
}

type Mode = "source" | "service";
interface Form {
  mode: Mode;
  sourceIp: string;
  sourcePort: string;
  serviceId: string | null;
  dialled: string;
  calling: string;
  at: string;
  seed: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]{2,45}$/;

function fromParams(p: URLSearchParams): Form {
  return {
    mode: p.get("serviceId") ? "service" : "source",
    sourceIp: p.get("sourceIp") ?? "",
    sourcePort: p.get("sourcePort") ?? "",
    serviceId: p.get("serviceId"),
    dialled: p.get("dialled") ?? "",
    calling: p.get("calling") ?? "",
    at: p.get("at") ?? "",
    seed: p.get("seed") ?? "",
  };
}

function toBody(f: Form, tz: string): { body: DecideBody | null; errors: Record<string, string> } {
  const e: Record<string, string> = {};
  const body: DecideBody = { dialled: f.dialled.trim(), calling: f.calling.trim() };
  if (f.mode === "source") {
    const ip = f.sourceIp.trim();
    if (!IPV4.test(ip) && !(ip.includes(":") && IPV6.test(ip))) e.sourceIp = "An IPv4 or IPv6 address";
    body.sourceIp = ip;
    if (f.sourcePort.trim()) {
      const port = Number(f.sourcePort);
      if (!/^\d+$/.test(f.sourcePort.trim()) || port < 1 || port > 65535) e.sourcePort = "1–65535";
      body.sourcePort = port;
    }
  } else if (!f.serviceId) e.serviceId = "Pick a service";
  else body.serviceId = f.serviceId;
  if (!/^\+?[0-9#*]{1,40}$/.test(body.dialled)) e.dialled = "Digits, optionally with + and a tech prefix (# or *)";
  if (!/^\+?[0-9]{0,32}$/.test(body.calling)) e.calling = "Digits, optionally with a leading +";
  if (f.at) {
    const iso = zonedLocalToIso(f.at, tz);
    if (!iso) e.at = "A date and time";
    body.at = iso;
  }
  if (f.seed.trim()) {
    if (!/^\d{1,10}$/.test(f.seed.trim()) || Number(f.seed) > 4_294_967_295) e.seed = "0–4294967295";
    body.seed = Number(f.seed);
  }
  return { body: Object.keys(e).length ? null : body, errors: e };
}

/** Routing / Route Simulator: the switch's route decision for one call, with every reason. */
export default function SimulatorPage() {
  const tz = getDisplayTimeZone();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<Form>(() => fromParams(params));
  const [touched, setTouched] = useState(false);
  const services = useServiceOptions(form.mode === "service");
  const status = useQuery({ queryKey: ["routing-status"], queryFn: ({ signal }) => api.get<RoutingStatus>("/routing/status", undefined, signal), refetchInterval: 15_000 });
  const decide = useMutation({
    mutationFn: (body: DecideBody) => api.post<Decision>("/routing/decide", body),
    onSuccess: () => void status.refetch(),
  });

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const built = useMemo(() => toBody(form, tz), [form, tz]);
  const server = fieldErrors(decide.error);
  const err = (k: string) => (touched ? built.errors[k] : undefined) ?? server[k];

  const run = (f: Form) => {
    const b = toBody(f, tz);
    if (!b.body) return;
    decide.mutate(b.body);
    // The URL carries the call, so a decision can be shared and reloaded.
    const next: Record<string, string> = { dialled: f.dialled.trim() };
    if (f.mode === "source") {
      next.sourceIp = f.sourceIp.trim();
      if (f.sourcePort.trim()) next.sourcePort = f.sourcePort.trim();
    } else if (f.serviceId) next.serviceId = f.serviceId;
    if (f.calling.trim()) next.calling = f.calling.trim();
    if (f.at) next.at = f.at;
    if (f.seed.trim()) next.seed = f.seed.trim();
    setParams(next, { replace: true });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    run(form);
  };

  // A deep link with a complete call runs it once on arrival.
  const autoRan = useRef(false);
  useEffect(() => {
    if (autoRan.current) return;
    autoRan.current = true;
    const f = fromParams(params);
    if (f.dialled && (f.sourceIp || f.serviceId) && toBody(f, tz).body) run(f);
    // Only on mount.
  }, []);

  const serviceOptions = (services.data?.rows ?? []).map((s) => ({
    value: s.id,
    label: s.name,
    detail: `${s.carrierName} · ${s.interconnectName}${s.techPrefix ? ` · ${s.techPrefix}` : ""}${s.status === "active" ? "" : ` · ${s.status}`}`,
    keywords: `${s.carrierName} ${s.interconnectName} ${s.techPrefix}`,
  }));
  const d = decide.data;
  const st = status.data;
  const general = decide.error && Object.keys(server).length === 0 ? decide.error : null;

  return (
    <Page
      header={
        <PageHeader
          title="Route Simulator"
          breadcrumb={["Routing", "Route Simulator"]}
          meta={
            st && (
              <span className="flex items-center gap-1.5 text-xs text-fg-muted" aria-label="Routing snapshot">
                <Badge tone={st.lastError ? "danger" : st.refreshing ? "warning" : "success"} dot title={st.lastError ?? undefined}>
                  {st.lastError ? "snapshot error" : st.refreshing ? "refreshing" : "snapshot live"}
                </Badge>
                {st.builtAt && (
                  <span className="hidden md:inline" title={`Built ${formatFull(st.builtAt)}${st.buildMillis != null ? ` in ${st.buildMillis} ms` : ""}`}>
                    gen <span className="font-mono">{st.generation}</span> · built {formatRelative(st.builtAt)} · {st.counts.entries} entries · {st.counts.services} services
                  </span>
                )}
                {!st.creditEnforced && (
                  <Badge tone="warning" title="Calls are not checked against real credit control yet.">
                    credit: allow-all placeholder
                  </Badge>
                )}
              </span>
            )
          }
          description="What the switch would do with one call: ingress, service, customer rate, credit, capacity and the ordered supplier routes, with every dropped candidate and why."
        />
      }
    >
      <div className="flex flex-col gap-3">
        <Card>
          <form onSubmit={submit} noValidate aria-label="Simulate a call" className="flex flex-col gap-3 px-4 py-3">
            <div className="grid grid-cols-2 items-start gap-3 md:grid-cols-4 xl:grid-cols-[auto_minmax(0,1.4fr)_minmax(0,1fr)_minmax(0,1fr)_minmax(0,1.1fr)_7rem_auto]">
              <Field label="Identify by" className="col-span-2 md:col-span-1">
                <SegmentedControl<Mode>
                  label="Identify the call by"
                  value={form.mode}
                  onChange={(m) => set("mode", m)}
                  options={[
                    { value: "source", label: "Source IP" },
                    { value: "service", label: "Service" },
                  ]}
                />
              </Field>
              {form.mode === "source" ? (
                <div className="col-span-2 grid grid-cols-[minmax(0,1fr)_5.5rem] gap-2 md:col-span-1">
                  <Field label="Source IP" required error={err("sourceIp")}>
                    <Input value={form.sourceIp} onChange={(e) => set("sourceIp", e.target.value)} className="font-mono" placeholder="203.0.113.10" autoComplete="off" data-autofocus />
                  </Field>
                  <Field label="Port" error={err("sourcePort")}>
                    <Input value={form.sourcePort} onChange={(e) => set("sourcePort", e.target.value.replace(/\D/g, ""))} className="font-mono" placeholder="5060" inputMode="numeric" />
                  </Field>
                </div>
              ) : (
                <Field label="Service" required error={err("serviceId")} className="col-span-2 md:col-span-1">
                  <SearchSelect value={form.serviceId} onChange={(v) => set("serviceId", v)} options={serviceOptions} loading={services.isLoading} placeholder="Pick a service…" aria-label="Service" />
                </Field>
              )}
              <Field label="Dialled Number" required error={err("dialled")}>
                <Input value={form.dialled} onChange={(e) => set("dialled", e.target.value.trim())} className="font-mono" placeholder="1001#447700900123" inputMode="tel" autoComplete="off" />
              </Field>
              <Field label="Calling Number" error={err("calling")}>
                <Input value={form.calling} onChange={(e) => set("calling", e.target.value.trim())} className="font-mono" placeholder="12125550100" inputMode="tel" autoComplete="off" />
              </Field>
              <Field label="Call Time" error={err("at")} hint={`${tz}; blank = now`}>
                <Input type="datetime-local" value={form.at} onChange={(e) => set("at", e.target.value)} />
              </Field>
              <Field label="Seed" error={err("seed")} hint="Weighted draws">
                <Input value={form.seed} onChange={(e) => set("seed", e.target.value.replace(/\D/g, ""))} className="font-mono" placeholder="random" inputMode="numeric" />
              </Field>
              <div className="col-span-2 flex items-end gap-1 self-stretch pb-[1.125rem] md:col-span-1">
                <Button type="submit" variant="primary" icon={<Play className="size-4" />} loading={decide.isPending} className="mt-auto">
                  Simulate
                </Button>
              </div>
            </div>
            <FormError error={general} />
          </form>
        </Card>

        {d ? (
          <div className={decide.isPending ? "opacity-60 transition-opacity" : undefined}>
            <DecisionView d={d} onPinSeed={String(d.seed) !== form.seed.trim() ? () => set("seed", String(d.seed)) : undefined} />
          </div>
        ) : (
          !decide.isPending && (
            <Card>
              <EmptyState
                icon={<FlaskConical />}
                title="Simulate a call"
                description="Enter the source address a customer's switch sends from (or pick one of their services), the number they dialled, and optionally a time: the decision shows the routes in order with supplier rates and margins, and every candidate that was dropped, with the reason."
              />
            </Card>
          )
        )}
      </div>
    </Page>
  );
}
