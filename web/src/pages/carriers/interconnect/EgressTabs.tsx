import { Link } from "react-router";
import { Plus } from "lucide-react";
import { Button, Field, Input, Select } from "../../../components";
import type { EgressRouting, EgressTranslation, Monitoring } from "../types";
import { HealthCard } from "./HealthCard";
import { moveItem, NumberInput, RowOrderButtons } from "./fields";
import { cleanTechPrefix, PaiFields, TrunkGroupSelect } from "./IngressTabs";
import { NumberTranslationEditor } from "./NumberTranslationEditor";
import { Section, TabGrid, ToggleRow, type TabProps } from "./shared";

const ROUTING_DEFAULTS: EgressRouting = { techPrefix: "", sendTo: [], maxCps: null, trunkGroupId: null, blacklistEnabled: true };
const TRANSLATION_DEFAULTS: EgressTranslation = { paiGeneration: "none", paiFixed: null, blockInvalidOrigins: false, numberTranslation: [] };
const MONITORING_DEFAULTS: Monitoring = { optionsPing: true, optionsIntervalS: 30, callResponseMonitoring: false, autoDisableAfterFailures: 3, reEnableAfterSuccesses: 2 };

const SEND_COLS = "grid-cols-[1.25rem_minmax(0,1fr)_5.5rem_5.5rem_4.75rem]";

/** Egress tab 2: where calls go and how they are marked. */
export function EgressRoutingTab({ draft, set, err, disabled }: TabProps) {
  const r = draft.egressRouting ?? ROUTING_DEFAULTS;
  const up = (patch: Partial<EgressRouting>) => set({ egressRouting: { ...r, ...patch } });
  const e = (k: string) => err(`egressRouting.${k}`);
  const updateDest = (i: number, patch: Partial<EgressRouting["sendTo"][number]>) => up({ sendTo: r.sendTo.map((d, j) => (j === i ? { ...d, ...patch } : d)) });
  return (
    <TabGrid>
      <Section title="Routing" description="Tech prefix, call rate, trunk group and blacklists.">
        <Field label="Tech prefix" error={e("techPrefix")} hint="Prepended to numbers sent to this supplier.">
          <Input value={r.techPrefix} onChange={(ev) => up({ techPrefix: cleanTechPrefix(ev.target.value) })} placeholder="None" className="font-mono" disabled={disabled} />
        </Field>
        <Field label="Max CPS" error={e("maxCps")} hint="Call attempts per second. Blank = unlimited.">
          <NumberInput value={r.maxCps} onChange={(maxCps) => up({ maxCps })} placeholder="Unlimited" unit="calls/s" disabled={disabled} maxDigits={5} />
        </Field>
        <Field
          label="Trunk group"
          error={e("trunkGroupId")}
          hint={
            <>
              Egress groups only.{" "}
              <Link to="/carriers/trunk-groups" className="text-accent-text hover:underline">
                Manage trunk groups
              </Link>
            </>
          }
          className="sm:col-span-2"
        >
          <TrunkGroupSelect direction="egress" value={r.trunkGroupId} onChange={(trunkGroupId) => up({ trunkGroupId })} disabled={disabled} />
        </Field>
        <ToggleRow
          className="sm:col-span-2"
          label="Blacklists enabled"
          description={
            <>
              Calls to this supplier are checked against the{" "}
              <Link to="/carriers/blacklisting" className="text-accent-text hover:underline">
                blacklists
              </Link>
              .
            </>
          }
          checked={r.blacklistEnabled}
          onChange={(blacklistEnabled) => up({ blacklistEnabled })}
          disabled={disabled}
        />
      </Section>
      <Section
        title="Send to"
        description="Supplier addresses, tried in this order."
        bodyClassName="flex flex-col gap-1.5"
        actions={
          !disabled && (
            <Button size="sm" icon={<Plus className="size-3.5" />} disabled={r.sendTo.length >= 20} onClick={() => up({ sendTo: [...r.sendTo, { address: "", port: 5060, transport: "udp" }] })}>
              Add address
            </Button>
          )
        }
      >
        {r.sendTo.length === 0 ? (
          <p className="rounded-md border border-dashed border-line px-3 py-4 text-center text-sm text-fg-muted">No address: add at least one to send calls to.</p>
        ) : (
          <div role="table" aria-label="Send to" className="flex flex-col gap-1.5">
            <div role="row" className={`grid ${SEND_COLS} gap-2 px-0.5 text-2xs font-medium tracking-wide text-fg-subtle uppercase`}>
              <span role="columnheader">#</span>
              <span role="columnheader">Host or IP</span>
              <span role="columnheader">Port</span>
              <span role="columnheader">Transport</span>
              <span role="columnheader" className="sr-only">
                Order
              </span>
            </div>
            {r.sendTo.map((d, i) => {
              const msgs = ["address", "port", "transport"].flatMap((f) => e(`sendTo.${i}.${f}`) ?? []);
              return (
                <div key={i} role="row" className="flex flex-col gap-1">
                  <div className={`grid ${SEND_COLS} items-center gap-2`}>
                    <span className="text-center text-xs text-fg-subtle tabular">{i + 1}</span>
                    <Input size="sm" aria-label={`Send-to address ${i + 1}`} value={d.address} onChange={(ev) => updateDest(i, { address: ev.target.value })} placeholder="192.0.2.50 or sip.example.net" className="font-mono" invalid={!!e(`sendTo.${i}.address`)} disabled={disabled} />
                    <NumberInput size="sm" aria-label={`Send-to port ${i + 1}`} value={d.port} nullable={false} fallback={5060} onChange={(n) => updateDest(i, { port: n ?? 5060 })} disabled={disabled} maxDigits={5} />
                    <Select
                      size="sm"
                      aria-label={`Send-to transport ${i + 1}`}
                      value={d.transport}
                      onChange={(ev) => updateDest(i, { transport: ev.target.value as "udp" | "tcp" | "tls" })}
                      disabled={disabled}
                      options={[
                        { value: "udp", label: "UDP" },
                        { value: "tcp", label: "TCP" },
                        { value: "tls", label: "TLS" },
                      ]}
                    />
                    <RowOrderButtons index={i} count={r.sendTo.length} minCount={1} label={`address ${i + 1}`} onMove={(a, b) => up({ sendTo: moveItem(r.sendTo, a, b) })} onRemove={() => up({ sendTo: r.sendTo.filter((_, j) => j !== i) })} disabled={disabled} />
                  </div>
                  {msgs.length > 0 && <p className="pl-7 text-xs text-red-600 dark:text-red-400">{msgs.join("; ")}</p>}
                </div>
              );
            })}
          </div>
        )}
        {e("sendTo") && <p className="text-xs text-red-600 dark:text-red-400">{e("sendTo")!.join("; ")}</p>}
      </Section>
    </TabGrid>
  );
}

/** Egress tab 3: caller identity and number rewriting on the way out. */
export function EgressTranslationTab({ draft, set, err, disabled }: TabProps) {
  const t = draft.egressTranslation ?? TRANSLATION_DEFAULTS;
  const up = (patch: Partial<EgressTranslation>) => set({ egressTranslation: { ...t, ...patch } });
  return (
    <TabGrid>
      <Section title="Caller identity" description="PAI sent to the supplier and origin checks." className="xl:col-span-2" bodyClassName="grid items-start gap-4 sm:grid-cols-3">
        <PaiFields value={t} onChange={up} err={err} base="egressTranslation" disabled={disabled} />
        <ToggleRow
          className="mt-5"
          label="Block invalid origins"
          description="Reject calls whose origination is not a valid number."
          checked={t.blockInvalidOrigins}
          onChange={(blockInvalidOrigins) => up({ blockInvalidOrigins })}
          disabled={disabled}
        />
      </Section>
      <Section title="Number translation" description="Rewrite destination or origination numbers before they reach the supplier." className="xl:col-span-2" bodyClassName="block">
        <NumberTranslationEditor rules={t.numberTranslation} onChange={(numberTranslation) => up({ numberTranslation })} err={err} base="egressTranslation.numberTranslation" disabled={disabled} />
      </Section>
    </TabGrid>
  );
}

/** Egress tab 6: OPTIONS ping and call response monitoring with auto disable / re-enable. */
export function MonitoringTab({ ic, draft, set, err, disabled }: TabProps) {
  const m = draft.monitoring ?? MONITORING_DEFAULTS;
  const up = (patch: Partial<Monitoring>) => set({ monitoring: { ...m, ...patch } });
  const e = (k: keyof Monitoring) => err(`monitoring.${k}`);
  const watching = m.optionsPing || m.callResponseMonitoring;
  return (
    <TabGrid>
      <HealthCard interconnectId={ic.id} monitored={watching} />
      <Section title="SIP OPTIONS ping" description="Keep-alive probes to the supplier's Send To addresses.">
        <ToggleRow className="sm:col-span-2" label="Send SIP OPTIONS" description={m.optionsPing ? `Every ${m.optionsIntervalS} s.` : "No probes are sent."} checked={m.optionsPing} onChange={(optionsPing) => up({ optionsPing })} disabled={disabled} />
        <Field label="Interval" error={e("optionsIntervalS")} hint="5–3600 seconds.">
          <NumberInput value={m.optionsIntervalS} nullable={false} fallback={30} onChange={(n) => up({ optionsIntervalS: n ?? 30 })} unit="s" disabled={disabled || !m.optionsPing} maxDigits={4} />
        </Field>
      </Section>
      <Section title="Call response monitoring" description="Take the interconnect out of routing when it keeps failing.">
        <ToggleRow
          className="sm:col-span-2"
          label="Monitor call responses"
          description="Count failed call attempts (timeouts, 5xx) as failures."
          checked={m.callResponseMonitoring}
          onChange={(callResponseMonitoring) => up({ callResponseMonitoring })}
          disabled={disabled}
        />
        <Field label="Auto-disable after" error={e("autoDisableAfterFailures")} hint="Consecutive failures (1–100).">
          <NumberInput value={m.autoDisableAfterFailures} nullable={false} fallback={3} onChange={(n) => up({ autoDisableAfterFailures: n ?? 3 })} unit="failures" disabled={disabled || !watching} maxDigits={3} />
        </Field>
        <Field label="Re-enable after" error={e("reEnableAfterSuccesses")} hint="Consecutive successes (1–100).">
          <NumberInput value={m.reEnableAfterSuccesses} nullable={false} fallback={2} onChange={(n) => up({ reEnableAfterSuccesses: n ?? 2 })} unit="successes" disabled={disabled || !watching} maxDigits={3} />
        </Field>
        <p className="text-xs text-fg-muted sm:col-span-2">
          {watching
            ? `Disabled automatically after ${m.autoDisableAfterFailures} consecutive failure${m.autoDisableAfterFailures === 1 ? "" : "s"}${m.optionsPing ? " (OPTIONS or calls)" : ""}; back in routing after ${m.reEnableAfterSuccesses} success${m.reEnableAfterSuccesses === 1 ? "" : "es"}.`
            : "Turn on OPTIONS ping or call response monitoring to disable this interconnect automatically."}
        </p>
      </Section>
    </TabGrid>
  );
}
