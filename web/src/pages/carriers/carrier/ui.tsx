import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { clsx } from "clsx";
import { ApiError } from "../../../lib/api";
import { Badge } from "../../../components";
import { formatMoney, limitTone, type LimitTone } from "./money";

/**
 * Segmented control (radio group): one click between a few views. The component
 * library has tabs and dropdowns but no segmented control, so it lives here.
 */
export function SegmentedControl<T extends string>({ label, value, options, onChange, className }: { label: string; value: T; options: { value: T; label: ReactNode; icon?: ReactNode }[]; onChange: (v: T) => void; className?: string }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent, i: number) => {
    let next: number | undefined;
    if (e.key === "ArrowRight" || e.key === "ArrowDown") next = (i + 1) % options.length;
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") next = (i - 1 + options.length) % options.length;
    if (next === undefined) return;
    e.preventDefault();
    onChange(options[next]!.value);
    refs.current[next]?.focus();
  };
  return (
    <div role="radiogroup" aria-label={label} className={clsx("inline-flex h-8 shrink-0 items-center gap-0.5 rounded-md border border-line bg-surface-2 p-0.5", className)}>
      {options.map((o, i) => {
        const active = o.value === value;
        return (
          <button
            key={o.value}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="radio"
            aria-checked={active}
            tabIndex={active ? 0 : -1}
            onClick={() => onChange(o.value)}
            onKeyDown={(e) => onKey(e, i)}
            className={clsx(
              "inline-flex h-full items-center gap-1.5 rounded px-2.5 text-sm font-medium whitespace-nowrap transition-colors [&_svg]:size-3.5",
              active ? "bg-surface text-fg shadow-xs ring-1 ring-line" : "text-fg-muted hover:text-fg",
            )}
          >
            {o.icon}
            {o.label}
          </button>
        );
      })}
    </div>
  );
}

/** Small uppercase heading inside a card. */
export function SectionHeading({ children, className, actions }: { children: ReactNode; className?: string; actions?: ReactNode }) {
  return (
    <div className={clsx("flex items-center justify-between gap-2", className)}>
      <h4 className="text-2xs font-semibold tracking-wide text-fg-subtle uppercase">{children}</h4>
      {actions}
    </div>
  );
}

/** Label/value rows for the detail cards (labels wrap, values truncate with a title). */
export function DetailList({ items, className, labels = "wide" }: { items: { label: string; value: ReactNode; title?: string }[]; className?: string; labels?: "wide" | "fit" }) {
  return (
    <dl className={clsx("grid gap-x-3 gap-y-1.5 text-sm", labels === "fit" ? "grid-cols-[minmax(0,7.5rem)_minmax(0,1fr)]" : "grid-cols-[minmax(0,9rem)_minmax(0,1fr)]", className)}>
      {items.map((i) => (
        <div key={i.label} className="contents">
          <dt className="text-fg-muted">{i.label}</dt>
          <dd className="min-w-0 truncate text-fg" title={i.title ?? (typeof i.value === "string" ? i.value : undefined)}>
            {i.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

const toneTitle: Record<LimitTone, string> = { success: "Within limit", warning: "Less than 10% of the limit remains", danger: "Over the limit", neutral: "Informational" };

/** A balance or spend as a coloured badge (green within limit, amber < 10% left, red over). */
export function MoneyBadge({ amount, limit = null, remaining = null, tone, noLimitNegative }: { amount: string; limit?: string | null; remaining?: string | null; tone?: LimitTone; noLimitNegative?: LimitTone }) {
  const t = tone ?? limitTone(amount, limit, remaining, noLimitNegative);
  return (
    <Badge tone={t} mono className="tabular" title={toneTitle[t]}>
      {formatMoney(amount)}
    </Badge>
  );
}

/** Amount or "—", right-aligned in tables. */
export function Amount({ value, className }: { value: string | null | undefined; className?: string }) {
  return <span className={clsx("font-mono text-xs tabular", value == null ? "text-fg-subtle" : "text-fg", className)}>{formatMoney(value)}</span>;
}

/** The API's message for an error that belongs to no field of the form. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="rounded-md border border-red-500/25 bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-500/10 dark:text-red-300">
      {error instanceof Error ? error.message : "Something went wrong"}
      {error instanceof ApiError && <span className="ml-1 font-mono text-2xs opacity-75">({error.code})</span>}
    </p>
  );
}

/** Field errors of a nested key (e.g. "egressRouting.sendTo") and of anything below it. */
export function errorsUnder(fields: Record<string, string[]>, prefix: string): string[] | undefined {
  const out = Object.entries(fields)
    .filter(([k]) => k === prefix || k.startsWith(`${prefix}.`))
    .flatMap(([k, v]) => (k === prefix ? v : v.map((m) => `${k.slice(prefix.length + 1)}: ${m}`)));
  return out.length ? out : undefined;
}
