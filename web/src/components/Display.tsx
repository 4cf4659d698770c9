import type { ReactNode } from "react";
import { clsx } from "clsx";
import { formatDateTime, formatFull, formatRelative, shortId } from "../lib/format";
import { Skeleton } from "./Skeleton";
import { hasWidth } from "./Input";

/** Shortened id (`usr_3aba51a6`) with the full id in the title. */
export function IdCell({ prefix, id, className }: { prefix: string; id: string | null | undefined; className?: string }) {
  if (!id) return <span className="text-fg-subtle">—</span>;
  return (
    <span title={id} className={clsx("font-mono text-xs text-fg-muted", className)}>
      {shortId(prefix, id)}
    </span>
  );
}

/** A timestamp: absolute (tenant time zone) or relative, with the full value on hover. */
export function TimeCell({ value, relative, empty = "—", className }: { value: string | null | undefined; relative?: boolean; empty?: ReactNode; className?: string }) {
  if (!value) return <span className="text-fg-subtle">{empty}</span>;
  return (
    <time dateTime={value} title={formatFull(value)} className={clsx("tabular", className)}>
      {relative ? formatRelative(value) : formatDateTime(value)}
    </time>
  );
}

export function ProgressBar({ value, tone = "accent", className, label }: { value: number; tone?: "accent" | "success" | "danger" | "neutral"; className?: string; label?: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      role="progressbar"
      aria-valuenow={pct}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-label={label ?? "Progress"}
      className={clsx("h-1.5 overflow-hidden rounded-full bg-surface-3", !hasWidth(className) && "w-full", className)}
    >
      <div
        className={clsx(
          "h-full rounded-full transition-[width] duration-500",
          tone === "accent" && "bg-accent",
          tone === "success" && "bg-emerald-500",
          tone === "danger" && "bg-red-500",
          tone === "neutral" && "bg-zinc-400",
        )}
        style={{ width: `${pct}%` }}
      />
    </div>
  );
}

interface StatTileProps {
  label: string;
  value: ReactNode;
  icon?: ReactNode;
  note?: ReactNode;
  loading?: boolean;
  muted?: boolean;
  footer?: ReactNode;
  className?: string;
}

/** Dashboard metric tile. */
export function StatTile({ label, value, icon, note, loading, muted, footer, className }: StatTileProps) {
  return (
    <div className={clsx("flex min-w-0 flex-col rounded-lg border border-line bg-surface p-4 shadow-xs", className)}>
      <div className="flex items-center justify-between gap-2">
        <p className="truncate text-xs font-medium text-fg-muted">{label}</p>
        {icon && <span className="shrink-0 text-fg-subtle [&_svg]:size-4">{icon}</span>}
      </div>
      <div className={clsx("mt-2 truncate text-2xl leading-8 font-semibold tracking-tight tabular", muted ? "text-fg-subtle" : "text-fg")}>
        {loading ? <Skeleton className="my-1.5 h-5 w-16" /> : value}
      </div>
      {note && <p className="mt-1 truncate text-xs text-fg-subtle">{note}</p>}
      {footer && <div className="mt-3 border-t border-line pt-2.5">{footer}</div>}
    </div>
  );
}

/** Pretty-printed JSON block. */
export function JsonView({ value, className, maxHeight = "max-h-80" }: { value: unknown; className?: string; maxHeight?: string }) {
  const text = value === undefined ? "undefined" : JSON.stringify(value, null, 2);
  return (
    <pre className={clsx("overflow-auto rounded-md border border-line bg-surface-2 p-3 font-mono text-xs leading-5 text-fg", maxHeight, className)}>
      {text ?? "null"}
    </pre>
  );
}

/** Compact label/value grid for detail panels. */
export function KeyValue({ items, className }: { items: { label: string; value: ReactNode }[]; className?: string }) {
  return (
    <dl className={clsx("grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-sm", className)}>
      {items.map((i) => (
        <div key={i.label} className="contents">
          <dt className="text-fg-muted">{i.label}</dt>
          <dd className="min-w-0 truncate text-fg">{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}
