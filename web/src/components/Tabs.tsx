import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { clsx } from "clsx";

export interface TabItem {
  id: string;
  label: ReactNode;
  count?: number;
  icon?: ReactNode;
  disabled?: boolean;
}

interface TabsProps {
  items: TabItem[];
  value: string;
  onChange: (id: string) => void;
  className?: string;
  "aria-label"?: string;
}

/** Underlined content tabs (arrow keys move between tabs). */
export function Tabs({ items, value, onChange, className, ...rest }: TabsProps) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent, i: number) => {
    const enabled = items.map((t, idx) => (t.disabled ? -1 : idx)).filter((x) => x >= 0);
    const pos = enabled.indexOf(i);
    let next: number | undefined;
    if (e.key === "ArrowRight") next = enabled[(pos + 1) % enabled.length];
    else if (e.key === "ArrowLeft") next = enabled[(pos - 1 + enabled.length) % enabled.length];
    else if (e.key === "Home") next = enabled[0];
    else if (e.key === "End") next = enabled[enabled.length - 1];
    if (next === undefined) return;
    e.preventDefault();
    const item = items[next];
    if (item) onChange(item.id);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label={rest["aria-label"]} className={clsx("-mb-px flex min-w-0 items-end gap-4 overflow-x-auto", className)}>
      {items.map((t, i) => {
        const active = t.id === value;
        return (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            aria-selected={active}
            tabIndex={active ? 0 : -1}
            disabled={t.disabled}
            onClick={() => onChange(t.id)}
            onKeyDown={(e) => onKey(e, i)}
            className={clsx(
              "inline-flex h-9 shrink-0 items-center gap-1.5 border-b-2 px-0.5 text-sm font-medium whitespace-nowrap transition-colors disabled:opacity-40",
              active ? "border-accent text-fg" : "border-transparent text-fg-muted hover:border-line-strong hover:text-fg",
            )}
          >
            {t.icon && <span className="[&_svg]:size-3.5">{t.icon}</span>}
            {t.label}
            {t.count !== undefined && (
              <span className={clsx("rounded px-1 text-2xs tabular", active ? "bg-accent-soft text-accent-text" : "bg-surface-3 text-fg-muted")}>{t.count}</span>
            )}
          </button>
        );
      })}
    </div>
  );
}
