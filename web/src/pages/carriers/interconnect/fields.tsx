import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { clsx } from "clsx";
import { ArrowDown, ArrowUp, X } from "lucide-react";
import { IconButton, Input } from "../../../components";
import { controlBase, controlState } from "../../../components/Input";
import { useField } from "../../../components/Field";
import { ApiError } from "../../../lib/api";

/**
 * Small form controls the carrier screens need and the shared library does not have:
 * an integer input that can be blank (= null), a chip input for digit prefixes, a
 * radio group, reorder buttons and an error banner.
 */

interface NumberInputProps {
  value: number | null;
  onChange: (value: number | null) => void;
  /** Blank means null; otherwise blank falls back to `fallback` (shown as placeholder). */
  nullable?: boolean;
  fallback?: number;
  placeholder?: string;
  unit?: ReactNode;
  disabled?: boolean;
  size?: "sm" | "md";
  className?: string;
  "aria-label"?: string;
  maxDigits?: number;
}

/** Whole numbers only (digits are filtered as typed); the parent always holds a number or null. */
export function NumberInput({ value, onChange, nullable = true, fallback = 0, placeholder, unit, disabled, size, className, maxDigits = 9, ...rest }: NumberInputProps) {
  const [text, setText] = useState(value === null ? "" : String(value));
  const last = useRef<number | null>(value);
  useEffect(() => {
    if (value !== last.current) {
      last.current = value;
      setText(value === null ? "" : String(value));
    }
  }, [value]);
  return (
    <Input
      inputMode="numeric"
      autoComplete="off"
      value={text}
      size={size}
      disabled={disabled}
      placeholder={placeholder ?? (nullable ? undefined : String(fallback))}
      aria-label={rest["aria-label"]}
      trailing={unit}
      className={clsx("tabular", className)}
      onChange={(e) => {
        const t = e.target.value.replace(/[^0-9]/g, "").replace(/^0+(?=\d)/, "").slice(0, maxDigits);
        setText(t);
        const n = t === "" ? (nullable ? null : fallback) : Number(t);
        last.current = n;
        onChange(n);
      }}
    />
  );
}

interface PrefixInputProps {
  value: string[];
  onChange: (value: string[]) => void;
  disabled?: boolean;
  placeholder?: string;
  /** Shown on the chips' tooltip and the remove buttons, e.g. "destination prefix". */
  noun?: string;
  max?: number;
  "aria-label"?: string;
}

const PREFIX = /^[0-9]{1,20}$/;

/** Tag input for digit prefixes: Enter, comma, space or paste adds; Backspace removes the last. */
export function PrefixInput({ value, onChange, disabled, placeholder = "Type digits, Enter to add", noun = "prefix", max = 500, ...rest }: PrefixInputProps) {
  const field = useField();
  const autoId = useId();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const commit = (raw: string) => {
    const tokens = raw.split(/[\s,;]+/).map((t) => t.trim()).filter(Boolean);
    if (!tokens.length) {
      setText("");
      return;
    }
    const bad = tokens.filter((t) => !PREFIX.test(t));
    const next = [...value];
    for (const t of tokens) if (PREFIX.test(t) && !next.includes(t)) next.push(t);
    if (next.length > max) {
      setProblem(`At most ${max} prefixes`);
      return;
    }
    setProblem(bad.length ? `Not a digit prefix: ${bad.slice(0, 3).join(", ")}${bad.length > 3 ? "…" : ""}` : null);
    setText(bad.join(" "));
    if (next.length !== value.length) onChange(next);
  };

  const invalid = field?.invalid || !!problem;
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <div
        className={clsx(
          controlBase,
          controlState(invalid),
          "flex max-h-28 min-h-8 w-full cursor-text flex-wrap items-center gap-1 overflow-y-auto px-1.5 py-1 focus-within:border-accent focus-within:ring-3 focus-within:ring-accent/20",
          invalid && "focus-within:border-red-500 focus-within:ring-red-500/20",
          disabled && "cursor-not-allowed bg-surface-2",
        )}
        onClick={() => inputRef.current?.focus()}
      >
        {value.map((p) => (
          <span key={p} className="inline-flex h-5 items-center gap-0.5 rounded bg-surface-3 pr-0.5 pl-1.5 font-mono text-xs text-fg ring-1 ring-line ring-inset">
            {p}
            {!disabled && (
              <button
                type="button"
                aria-label={`Remove ${noun} ${p}`}
                className="rounded p-0.5 text-fg-subtle hover:bg-surface hover:text-fg"
                onClick={(e) => {
                  e.stopPropagation();
                  onChange(value.filter((x) => x !== p));
                }}
              >
                <X className="size-3" />
              </button>
            )}
          </span>
        ))}
        <input
          ref={inputRef}
          id={field?.id ?? autoId}
          aria-label={rest["aria-label"]}
          aria-invalid={invalid || undefined}
          aria-describedby={field?.describedBy}
          disabled={disabled}
          value={text}
          inputMode="numeric"
          autoComplete="off"
          placeholder={value.length ? "" : disabled ? "None" : placeholder}
          className="h-5 min-w-24 flex-1 bg-transparent font-mono text-xs outline-none placeholder:font-sans placeholder:text-fg-subtle disabled:cursor-not-allowed"
          onChange={(e) => {
            setProblem(null);
            const v = e.target.value;
            if (/[\s,;]/.test(v)) commit(v);
            else setText(v);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              commit(text);
            } else if (e.key === "Backspace" && text === "" && value.length) {
              onChange(value.slice(0, -1));
            }
          }}
          onPaste={(e) => {
            const pasted = e.clipboardData.getData("text");
            if (/[\s,;]/.test(pasted)) {
              e.preventDefault();
              commit(`${text} ${pasted}`);
            }
          }}
          onBlur={() => commit(text)}
        />
      </div>
      {problem && <p className="text-xs text-red-600 dark:text-red-400">{problem}</p>}
    </div>
  );
}

/** Shows the first few prefixes as chips and "+N" for the rest. */
export function PrefixSummary({ prefixes, max = 3, empty = "Any" }: { prefixes: string[]; max?: number; empty?: ReactNode }) {
  if (!prefixes.length) return <span className="text-fg-subtle">{empty}</span>;
  const shown = prefixes.slice(0, max);
  return (
    <span className="flex min-w-0 items-center gap-1" title={prefixes.join(", ")}>
      {shown.map((p) => (
        <span key={p} className="rounded bg-surface-3 px-1 font-mono text-xs text-fg">
          {p}
        </span>
      ))}
      {prefixes.length > max && <span className="text-xs text-fg-muted">+{prefixes.length - max}</span>}
    </span>
  );
}

interface RadioOption<T extends string> {
  value: T;
  label: ReactNode;
  description?: ReactNode;
}

/** Radio buttons as a row of bordered choices. */
export function RadioGroup<T extends string>({ value, onChange, options, disabled, name, "aria-label": label, className }: { value: T; onChange: (v: T) => void; options: RadioOption<T>[]; disabled?: boolean; name: string; "aria-label"?: string; className?: string }) {
  return (
    <div role="radiogroup" aria-label={label} className={clsx("grid gap-2", className ?? "sm:grid-cols-2")}>
      {options.map((o) => (
        <label
          key={o.value}
          className={clsx(
            "flex cursor-pointer items-start gap-2 rounded-md border px-3 py-2 text-sm transition-colors",
            value === o.value ? "border-accent bg-accent-soft" : "border-line hover:border-line-strong",
            disabled && "cursor-not-allowed opacity-60",
          )}
        >
          <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} disabled={disabled} className="mt-0.5 size-3.5 accent-[var(--accent)]" />
          <span className="min-w-0">
            <span className="block font-medium text-fg">{o.label}</span>
            {o.description && <span className="block text-xs text-fg-muted">{o.description}</span>}
          </span>
        </label>
      ))}
    </div>
  );
}

/** Move up / move down / remove buttons for a row of an ordered list. */
export function RowOrderButtons({ index, count, onMove, onRemove, label, disabled, minCount = 0 }: { index: number; count: number; onMove: (from: number, to: number) => void; onRemove: () => void; label: string; disabled?: boolean; minCount?: number }) {
  return (
    <span className="flex shrink-0 items-center gap-0.5">
      <IconButton size="xs" label={`Move ${label} up`} tooltip={false} icon={<ArrowUp className="size-3.5" />} disabled={disabled || index === 0} onClick={() => onMove(index, index - 1)} />
      <IconButton size="xs" label={`Move ${label} down`} tooltip={false} icon={<ArrowDown className="size-3.5" />} disabled={disabled || index === count - 1} onClick={() => onMove(index, index + 1)} />
      <IconButton size="xs" label={`Remove ${label}`} tooltip={false} icon={<X className="size-3.5" />} disabled={disabled || count <= minCount} onClick={onRemove} />
    </span>
  );
}

export function moveItem<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

/** Red banner for an error that is not (only) about one field. */
export function ErrorBanner({ error, title, className }: { error: unknown; title?: ReactNode; className?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className={clsx("rounded-md border border-red-500/30 bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/10 dark:text-red-200", className)}>
      {title && <p className="font-semibold">{title}</p>}
      <p className="break-words">
        {message}
        {error instanceof ApiError && <span className="ml-1 font-mono text-2xs opacity-70">({error.code})</span>}
      </p>
    </div>
  );
}

/** A label + read-only value, sized like a form field. */
export function ReadOnlyField({ label, children, hint }: { label: ReactNode; children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-1.5">
      <span className="text-xs font-medium text-fg">{label}</span>
      <div className="flex h-8 min-w-0 items-center gap-2 rounded-md border border-dashed border-line bg-surface-2 px-2.5 text-sm text-fg-muted">{children}</div>
      {hint && <p className="text-xs text-fg-subtle">{hint}</p>}
    </div>
  );
}

/** A compact on/off switch (a checkbox with role="switch"). */
export function Switch({ checked, onChange, disabled, "aria-label": label, busy }: { checked: boolean; onChange: (v: boolean) => void; disabled?: boolean; "aria-label": string; busy?: boolean }) {
  return (
    <label className={clsx("relative inline-flex shrink-0 cursor-pointer items-center", disabled && "cursor-not-allowed opacity-60", busy && "opacity-70")} onClick={(e) => e.stopPropagation()}>
      <input type="checkbox" role="switch" aria-label={label} className="peer sr-only" checked={checked} onChange={(e) => onChange(e.target.checked)} disabled={disabled} />
      <span
        aria-hidden
        className="h-4 w-7 rounded-full bg-line-strong transition-colors peer-checked:bg-accent peer-focus-visible:ring-2 peer-focus-visible:ring-accent/50 after:absolute after:top-0.5 after:left-0.5 after:size-3 after:rounded-full after:bg-white after:shadow-xs after:transition-transform peer-checked:after:translate-x-3"
      />
    </label>
  );
}
