import { useState } from "react";
import { Link } from "react-router";
import { ExternalLink, Plus } from "lucide-react";
import { Button, Field, Select } from "../../../components";
import { CODECS, type Media, type Signalling } from "../types";
import { moveItem, NumberInput, RadioGroup, RowOrderButtons } from "./fields";
import { secondsHint, Section, TabGrid, ToggleRow, type TabProps } from "./shared";

type Codec = (typeof CODECS)[number];
export const CODEC_INFO: Record<Codec, string> = {
  PCMA: "G.711 A-law · 64 kbit/s",
  PCMU: "G.711 µ-law · 64 kbit/s",
  G729: "G.729 · 8 kbit/s",
  G722: "G.722 wideband · 64 kbit/s",
  OPUS: "Opus · 6–510 kbit/s",
  GSM: "GSM full rate · 13 kbit/s",
  iLBC: "iLBC · 13.3/15.2 kbit/s",
  AMR: "AMR narrowband · 4.75–12.2 kbit/s",
  "AMR-WB": "AMR wideband · 6.6–23.85 kbit/s",
};

/** Tab: codecs in preference order plus media handling. */
export function MediaTab({ ic, draft, set, err, disabled }: TabProps) {
  const m = draft.media;
  const up = (patch: Partial<Media>) => set({ media: { ...m, ...patch } });
  const remaining = CODECS.filter((c) => !m.codecs.includes(c));
  const [adding, setAdding] = useState<string>("");
  const toAdd = (remaining as readonly string[]).includes(adding) ? (adding as Codec) : remaining[0];
  const codecErr = err("media.codecs");
  return (
    <TabGrid>
      <Section title="Codecs" description="Offered in this order; the first is preferred." bodyClassName="flex flex-col gap-2">
        <ol aria-label="Codec order" className="flex flex-col divide-y divide-line rounded-md border border-line">
          {m.codecs.map((c, i) => (
            <li key={c} className="flex items-center gap-3 px-3 py-1.5" aria-label={`${i + 1}. ${c}`}>
              <span className="w-4 text-right text-xs text-fg-subtle tabular">{i + 1}</span>
              <span className="w-16 font-mono text-sm font-semibold text-fg">{c}</span>
              <span className="min-w-0 flex-1 truncate text-xs text-fg-muted">{CODEC_INFO[c]}</span>
              {i === 0 && <span className="rounded bg-accent-soft px-1.5 text-2xs font-medium text-accent-text">Preferred</span>}
              {!disabled && <RowOrderButtons index={i} count={m.codecs.length} minCount={1} label={c} onMove={(a, b) => up({ codecs: moveItem(m.codecs, a, b) })} onRemove={() => up({ codecs: m.codecs.filter((x) => x !== c) })} />}
            </li>
          ))}
        </ol>
        {codecErr && <p className="text-xs text-red-600 dark:text-red-400">{codecErr.join("; ")}</p>}
        {!disabled && remaining.length > 0 && (
          <div className="flex items-center gap-2">
            <Select size="sm" aria-label="Codec to add" value={toAdd} onChange={(e) => setAdding(e.target.value)} options={remaining.map((c) => ({ value: c, label: `${c} — ${CODEC_INFO[c]}` }))} wrapperClassName="min-w-0 flex-1" />
            <Button size="sm" icon={<Plus className="size-3.5" />} onClick={() => toAdd && up({ codecs: [...m.codecs, toAdd] })}>
              Add codec
            </Button>
          </div>
        )}
      </Section>
      <Section title="Media handling" description="Packetisation, DTMF and RTP behaviour.">
        <Field label="Packetisation time (ptime)" error={err("media.ptimeMs")}>
          <Select value={String(m.ptimeMs)} onChange={(e) => up({ ptimeMs: Number(e.target.value) as Media["ptimeMs"] })} disabled={disabled} options={[10, 20, 30, 40, 60].map((p) => ({ value: String(p), label: `${p} ms` }))} />
        </Field>
        <Field label="DTMF mode" error={err("media.dtmfMode")}>
          <Select
            value={m.dtmfMode}
            onChange={(e) => up({ dtmfMode: e.target.value as Media["dtmfMode"] })}
            disabled={disabled}
            options={[
              { value: "rfc2833", label: "RFC 2833 (RTP events)" },
              { value: "inband", label: "In-band audio" },
              { value: "sip_info", label: "SIP INFO" },
            ]}
          />
        </Field>
        <Field label="RTP timeout" error={err("media.rtpTimeoutS")} hint={ic.direction === "egress" ? "Ends calls whose media stops. 0 = never (optional on egress)." : "Ends calls whose media stops. 0 = never."}>
          <NumberInput value={m.rtpTimeoutS} nullable={false} fallback={0} onChange={(n) => up({ rtpTimeoutS: n ?? 0 })} unit="s" disabled={disabled} maxDigits={4} />
        </Field>
        <div className="hidden sm:block" />
        <ToggleRow label="Voice activity detection (VAD)" description="Suppress silence to save bandwidth." checked={m.vad} onChange={(vad) => up({ vad })} disabled={disabled} />
        <ToggleRow label="Media relay" description={m.mediaRelay ? "RTP flows through the platform." : "RTP flows directly between carriers."} checked={m.mediaRelay} onChange={(mediaRelay) => up({ mediaRelay })} disabled={disabled} />
      </Section>
    </TabGrid>
  );
}

/** Tab: SIP behaviour and the release cause mapping. 100rel is shown on ingress only (Digitalk). */
export function SignallingTab({ ic, draft, set, err, disabled }: TabProps) {
  const s = draft.signalling;
  const up = (patch: Partial<Signalling>) => set({ signalling: { ...s, ...patch } });
  return (
    <TabGrid>
      <Section title="SIP signalling" description="Privacy, timers and call duration.">
        <Field label="Privacy method" error={err("signalling.privacyMethod")} hint="How a withheld caller ID is signalled.">
          <Select
            value={s.privacyMethod}
            onChange={(e) => up({ privacyMethod: e.target.value as Signalling["privacyMethod"] })}
            disabled={disabled}
            options={[
              { value: "rfc3323", label: "RFC 3323 (Privacy header)" },
              { value: "rpid", label: "Remote-Party-ID" },
              { value: "none", label: "None" },
            ]}
          />
        </Field>
        <Field label="Session timer" error={err("signalling.sessionTimerS")} hint={s.sessionTimerS === null ? "Disabled. 90–86400 s to enable." : `Refresh every ${secondsHint(s.sessionTimerS, "")}.`}>
          <NumberInput value={s.sessionTimerS} onChange={(sessionTimerS) => up({ sessionTimerS })} placeholder="Disabled" unit="s" disabled={disabled} maxDigits={5} />
        </Field>
        <Field label="Max call duration" error={err("signalling.maxCallDurationS")} hint={s.maxCallDurationS === null ? "Unlimited." : `Calls end after ${secondsHint(s.maxCallDurationS, "")}.`}>
          <NumberInput value={s.maxCallDurationS} onChange={(maxCallDurationS) => up({ maxCallDurationS })} placeholder="Unlimited" unit="s" disabled={disabled} maxDigits={5} />
        </Field>
        {ic.direction === "ingress" && (
          <Field label="100rel (PRACK)" error={err("signalling.rel100")} hint="Reliable provisional responses.">
            <Select
              value={s.rel100}
              onChange={(e) => up({ rel100: e.target.value as Signalling["rel100"] })}
              disabled={disabled}
              options={[
                { value: "supported", label: "Supported" },
                { value: "required", label: "Required" },
                { value: "disabled", label: "Disabled" },
              ]}
            />
          </Field>
        )}
      </Section>
      <Section
        title="Release cause mapping"
        description="SIP response codes sent back for failed calls."
        bodyClassName="flex flex-col gap-3"
        actions={
          <Link to="/carriers/release-causes" className="inline-flex items-center gap-1 text-xs font-medium text-accent-text hover:underline">
            Release Cause Mapping <ExternalLink className="size-3" aria-hidden />
          </Link>
        }
      >
        <RadioGroup
          name="releaseCauseMapping"
          aria-label="Release cause mapping"
          value={s.releaseCauseMapping}
          onChange={(releaseCauseMapping) => up({ releaseCauseMapping })}
          disabled={disabled}
          className="grid gap-2"
          options={[
            { value: "tenant", label: "Tenant mapping table", description: "Map causes with the Release Cause Mapping table (and its failover choices)." },
            { value: "passthrough", label: "Pass through", description: "Send the cause received from the far end unchanged." },
          ]}
        />
        {err("signalling.releaseCauseMapping") && <p className="text-xs text-red-600 dark:text-red-400">{err("signalling.releaseCauseMapping")!.join("; ")}</p>}
      </Section>
    </TabGrid>
  );
}
