import { Link } from "react-router";
import { Field, Input, Select } from "../../../components";
import type { EgressTranslation, IngressTranslation, IngressValidation } from "../types";
import { NumberInput } from "./fields";
import { useTrunkGroupOptions } from "./hooks";
import { NumberTranslationEditor } from "./NumberTranslationEditor";
import { Section, TabGrid, ToggleRow, type TabProps } from "./shared";

export const cleanTechPrefix = (v: string) => v.replace(/[^0-9#*]/g, "").slice(0, 16);

const VALIDATION_DEFAULTS: IngressValidation = { ipValidation: true, techPrefix: "", fromUriMatch: null, contactUriMatch: null, trunkGroupId: null, maxCps: null };
const TRANSLATION_DEFAULTS: IngressTranslation = { originationPreference: "pai", paiGeneration: "none", paiFixed: null, numberTranslation: [] };

export function TrunkGroupSelect({ direction, value, onChange, disabled }: { direction: "ingress" | "egress"; value: string | null; onChange: (id: string | null) => void; disabled: boolean }) {
  const groups = useTrunkGroupOptions(direction);
  const rows = groups.data?.rows ?? [];
  return (
    <Select
      value={value ?? ""}
      onChange={(e) => onChange(e.target.value || null)}
      disabled={disabled || groups.isLoading}
      placeholder={groups.isLoading ? "Loading…" : rows.length ? "None" : `No ${direction} trunk groups yet`}
      options={[
        ...rows.map((g) => ({ value: g.id, label: `${g.name} (${g.members.length} member${g.members.length === 1 ? "" : "s"})` })),
        ...(value && !rows.some((g) => g.id === value) && !groups.isLoading ? [{ value, label: "Unknown group" }] : []),
      ]}
    />
  );
}

/** Ingress tab 2: how the platform recognises and limits this customer's calls. */
export function IngressValidationTab({ draft, set, err, disabled }: TabProps) {
  const v = draft.ingressValidation ?? VALIDATION_DEFAULTS;
  const up = (patch: Partial<IngressValidation>) => set({ ingressValidation: { ...v, ...patch } });
  const e = (k: keyof IngressValidation) => err(`ingressValidation.${k}`);
  return (
    <TabGrid>
      <Section title="Authentication" description="Which requests are accepted as coming from this customer.">
        <ToggleRow
          className="sm:col-span-2"
          label="IP validation"
          description={v.ipValidation ? "Only calls from the Signalling IPs on the Details tab are accepted." : "Calls are not checked against the signalling IPs."}
          checked={v.ipValidation}
          onChange={(ipValidation) => up({ ipValidation })}
          disabled={disabled}
        />
        <Field label="From URI" error={e("fromUriMatch")} hint="Optional pattern the From URI must match." className="sm:col-span-2">
          <Input value={v.fromUriMatch ?? ""} onChange={(ev) => up({ fromUriMatch: ev.target.value || null })} placeholder="Any From URI" className="font-mono" maxLength={200} disabled={disabled} />
        </Field>
        <Field label="Contact URI" error={e("contactUriMatch")} hint="Optional pattern the Contact URI must match." className="sm:col-span-2">
          <Input value={v.contactUriMatch ?? ""} onChange={(ev) => up({ contactUriMatch: ev.target.value || null })} placeholder="Any Contact URI" className="font-mono" maxLength={200} disabled={disabled} />
        </Field>
      </Section>
      <Section title="Identification & limits" description="Tech prefix, trunk group and call rate.">
        <Field label="Tech prefix" error={e("techPrefix")} hint="Leading digits that identify this customer's calls; services without their own use it.">
          <Input value={v.techPrefix} onChange={(ev) => up({ techPrefix: cleanTechPrefix(ev.target.value) })} placeholder="None" className="font-mono" disabled={disabled} />
        </Field>
        <Field label="Max CPS" error={e("maxCps")} hint="Call attempts per second. Blank = unlimited.">
          <NumberInput value={v.maxCps} onChange={(maxCps) => up({ maxCps })} placeholder="Unlimited" unit="calls/s" disabled={disabled} maxDigits={5} />
        </Field>
        <Field
          label="Trunk group"
          error={e("trunkGroupId")}
          hint={
            <>
              Ingress groups only.{" "}
              <Link to="/carriers/trunk-groups" className="text-accent-text hover:underline">
                Manage trunk groups
              </Link>
            </>
          }
          className="sm:col-span-2"
        >
          <TrunkGroupSelect direction="ingress" value={v.trunkGroupId} onChange={(trunkGroupId) => up({ trunkGroupId })} disabled={disabled} />
        </Field>
      </Section>
    </TabGrid>
  );
}

export function PaiFields({ value, onChange, err, base, disabled }: { value: Pick<IngressTranslation | EgressTranslation, "paiGeneration" | "paiFixed">; onChange: (p: Partial<IngressTranslation & EgressTranslation>) => void; err: TabProps["err"]; base: string; disabled: boolean }) {
  return (
    <>
      <Field label="PAI generation" error={err(`${base}.paiGeneration`)} hint="P-Asserted-Identity added to the call.">
        <Select
          value={value.paiGeneration}
          onChange={(ev) => {
            const paiGeneration = ev.target.value as IngressTranslation["paiGeneration"];
            onChange({ paiGeneration, ...(paiGeneration !== "fixed" ? { paiFixed: null } : {}) });
          }}
          disabled={disabled}
          options={[
            { value: "none", label: "None (leave as received)" },
            { value: "from", label: "Copy from the From header" },
            { value: "fixed", label: "Fixed value" },
          ]}
        />
      </Field>
      <Field label="Fixed PAI value" error={err(`${base}.paiFixed`)} hint={value.paiGeneration === "fixed" ? "Number or SIP URI sent as PAI." : "Only with PAI generation “Fixed value”."}>
        <Input value={value.paiFixed ?? ""} onChange={(ev) => onChange({ paiFixed: ev.target.value || null })} placeholder={value.paiGeneration === "fixed" ? "e.g. +441234567890" : "—"} className="font-mono" maxLength={64} disabled={disabled || value.paiGeneration !== "fixed"} />
      </Field>
    </>
  );
}

/** Ingress tab 3: caller identity and number rewriting on the way in. */
export function IngressTranslationTab({ draft, set, err, disabled }: TabProps) {
  const t = draft.ingressTranslation ?? TRANSLATION_DEFAULTS;
  const up = (patch: Partial<IngressTranslation>) => set({ ingressTranslation: { ...t, ...patch } });
  return (
    <TabGrid>
      <Section title="Caller identity" description="Where the origination (CLI) is read from, and the PAI added." className="xl:col-span-2" bodyClassName="grid gap-4 sm:grid-cols-3">
        <Field label="Origination preference" error={err("ingressTranslation.originationPreference")} hint="Header the caller's number is taken from.">
          <Select
            value={t.originationPreference}
            onChange={(ev) => up({ originationPreference: ev.target.value as IngressTranslation["originationPreference"] })}
            disabled={disabled}
            options={[
              { value: "pai", label: "P-Asserted-Identity" },
              { value: "rpid", label: "Remote-Party-ID" },
              { value: "from", label: "From header" },
            ]}
          />
        </Field>
        <PaiFields value={t} onChange={up} err={err} base="ingressTranslation" disabled={disabled} />
      </Section>
      <Section title="Number translation" description="Rewrite destination or origination numbers as calls arrive." className="xl:col-span-2" bodyClassName="block">
        <NumberTranslationEditor rules={t.numberTranslation} onChange={(numberTranslation) => up({ numberTranslation })} err={err} base="ingressTranslation.numberTranslation" disabled={disabled} />
      </Section>
    </TabGrid>
  );
}
