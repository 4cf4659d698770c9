import { ArrowRight, Plus } from "lucide-react";
import { Button, Input, Select } from "../../../components";
import type { TranslationRule } from "../types";
import { moveItem, NumberInput, RowOrderButtons } from "./fields";

const COLS = "grid-cols-[1.25rem_8.5rem_minmax(0,1fr)_4.5rem_minmax(0,1fr)_minmax(0,1.2fr)_4.75rem]";

/** Shows what a rule does to a number starting with its prefix: `0044… → +44…`. */
function preview(r: TranslationRule): string {
  const rest = r.matchPrefix.slice(Math.min(r.strip, r.matchPrefix.length));
  const extra = r.strip > r.matchPrefix.length ? ` (−${r.strip - r.matchPrefix.length})` : "";
  return `${r.matchPrefix || "any"}… → ${r.prepend}${rest}…${extra}`;
}

/** Ordered number translation rules (first match applies): field, match prefix, strip, prepend. */
export function NumberTranslationEditor({ rules, onChange, err, base, disabled }: { rules: TranslationRule[]; onChange: (r: TranslationRule[]) => void; err: (path: string) => string[] | undefined; base: string; disabled: boolean }) {
  const update = (i: number, patch: Partial<TranslationRule>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="flex flex-col gap-2">
      {rules.length === 0 ? (
        <p className="rounded-md border border-dashed border-line px-3 py-4 text-center text-sm text-fg-muted">No translation rules: numbers pass through unchanged.</p>
      ) : (
        <div className="overflow-x-auto">
          <div className="flex min-w-[640px] flex-col gap-1.5" role="table" aria-label="Number translation rules">
            <div role="row" className={`grid ${COLS} gap-2 px-0.5 text-2xs font-medium tracking-wide text-fg-subtle uppercase`}>
              <span role="columnheader">#</span>
              <span role="columnheader">Number</span>
              <span role="columnheader">Match prefix</span>
              <span role="columnheader">Strip</span>
              <span role="columnheader">Prepend</span>
              <span role="columnheader">Result</span>
              <span role="columnheader" className="sr-only">
                Order
              </span>
            </div>
            {rules.map((r, i) => {
              const e = ["field", "matchPrefix", "strip", "prepend"].flatMap((f) => err(`${base}.${i}.${f}`) ?? []);
              return (
                <div key={i} role="row" className="flex flex-col gap-1">
                  <div className={`grid ${COLS} items-center gap-2`}>
                    <span className="text-center text-xs text-fg-subtle tabular">{i + 1}</span>
                    <Select
                      size="sm"
                      aria-label={`Rule ${i + 1} number`}
                      value={r.field}
                      onChange={(ev) => update(i, { field: ev.target.value as TranslationRule["field"] })}
                      disabled={disabled}
                      options={[
                        { value: "destination", label: "Destination" },
                        { value: "origination", label: "Origination" },
                      ]}
                    />
                    <Input
                      size="sm"
                      aria-label={`Rule ${i + 1} match prefix`}
                      value={r.matchPrefix}
                      onChange={(ev) => update(i, { matchPrefix: ev.target.value.replace(/[^0-9]/g, "").slice(0, 20) })}
                      placeholder="any"
                      className="font-mono"
                      inputMode="numeric"
                      invalid={!!err(`${base}.${i}.matchPrefix`)}
                      disabled={disabled}
                    />
                    <NumberInput size="sm" aria-label={`Rule ${i + 1} strip digits`} value={r.strip} nullable={false} fallback={0} onChange={(n) => update(i, { strip: n ?? 0 })} disabled={disabled} maxDigits={2} />
                    <Input
                      size="sm"
                      aria-label={`Rule ${i + 1} prepend`}
                      value={r.prepend}
                      onChange={(ev) => update(i, { prepend: ev.target.value.replace(/[^0-9+]/g, "").replace(/(?!^)\+/g, "").slice(0, 21) })}
                      placeholder="nothing"
                      className="font-mono"
                      invalid={!!err(`${base}.${i}.prepend`)}
                      disabled={disabled}
                    />
                    <span className="flex min-w-0 items-center gap-1 truncate font-mono text-xs text-fg-muted" title={preview(r)}>
                      {preview(r).split(" → ")[0]}
                      <ArrowRight className="size-3 shrink-0" aria-hidden />
                      <span className="truncate text-fg">{preview(r).split(" → ")[1]}</span>
                    </span>
                    <RowOrderButtons index={i} count={rules.length} label={`rule ${i + 1}`} onMove={(a, b) => onChange(moveItem(rules, a, b))} onRemove={() => onChange(rules.filter((_, j) => j !== i))} disabled={disabled} />
                  </div>
                  {e.length > 0 && <p className="pl-7 text-xs text-red-600 dark:text-red-400">{e.join("; ")}</p>}
                </div>
              );
            })}
          </div>
        </div>
      )}
      {err(base) && <p className="text-xs text-red-600 dark:text-red-400">{err(base)!.join("; ")}</p>}
      <div className="flex items-center justify-between gap-2">
        <p className="text-xs text-fg-subtle">Rules run top to bottom; the first whose prefix matches applies. Up to 50.</p>
        {!disabled && (
          <Button size="sm" icon={<Plus className="size-3.5" />} disabled={rules.length >= 50} onClick={() => onChange([...rules, { field: "destination", matchPrefix: "", strip: 0, prepend: "" }])}>
            Add rule
          </Button>
        )}
      </div>
    </div>
  );
}
