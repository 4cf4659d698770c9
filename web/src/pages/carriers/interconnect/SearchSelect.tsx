import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { clsx } from "clsx";
import { Check, ChevronDown, SearchIcon } from "lucide-react";
import { Popover } from "../../../components";
import { controlBase, controlState } from "../../../components/Input";
import { useField } from "../../../components/Field";

export interface SearchOption {
  value: string;
  label: string;
  /** Second line / right side, e.g. the carrier name. */
  detail?: ReactNode;
  /** Extra text the search matches (e.g. carrier name, currency). */
  keywords?: string;
  disabled?: boolean;
  disabledReason?: string;
}

interface SearchSelectProps {
  value: string | null;
  onChange: (value: string | null) => void;
  options: SearchOption[];
  placeholder?: string;
  disabled?: boolean;
  loading?: boolean;
  invalid?: boolean;
  clearLabel?: string;
  "aria-label"?: string;
  panelClassName?: string;
}

/** A select with a search box (the library's Select is native and cannot filter). */
export function SearchSelect({ value, onChange, options, placeholder = "Choose…", disabled, loading, invalid, clearLabel, panelClassName, ...rest }: SearchSelectProps) {
  const field = useField();
  const [q, setQ] = useState("");
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const selected = options.find((o) => o.value === value);
  const filtered = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return needle ? options.filter((o) => `${o.label} ${o.keywords ?? ""}`.toLowerCase().includes(needle)) : options;
  }, [options, q]);
  const bad = invalid ?? field?.invalid ?? false;

  return (
    <Popover
      align="start"
      className={clsx("w-96 max-w-[calc(100vw-2rem)]", panelClassName)}
      label={rest["aria-label"] ?? "Choose"}
      onOpenChange={(open) => {
        if (open) {
          setQ("");
          setActive(Math.max(0, options.findIndex((o) => o.value === value)));
        }
      }}
      trigger={(p) => (
        <button
          {...p}
          type="button"
          id={field?.id}
          aria-label={rest["aria-label"]}
          aria-describedby={field?.describedBy}
          aria-invalid={bad || undefined}
          disabled={disabled || loading}
          className={clsx(controlBase, controlState(bad), "flex h-8 w-full items-center justify-between gap-2 px-2.5 text-left disabled:cursor-not-allowed disabled:bg-surface-2")}
        >
          <span className={clsx("min-w-0 truncate", !selected && "text-fg-subtle")}>{loading ? "Loading…" : selected ? selected.label : value ? "Unknown (deleted?)" : placeholder}</span>
          {selected?.detail && <span className="hidden min-w-0 shrink truncate text-xs text-fg-subtle sm:inline">{selected.detail}</span>}
          <ChevronDown className="ml-auto size-3.5 shrink-0 text-fg-subtle" aria-hidden />
        </button>
      )}
    >
      {(close) => {
        const pick = (o: SearchOption | null) => {
          if (o?.disabled) return;
          onChange(o ? o.value : null);
          close();
        };
        const onKey = (e: KeyboardEvent) => {
          if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            const step = e.key === "ArrowDown" ? 1 : -1;
            const next = Math.min(Math.max(0, active + step), filtered.length - 1);
            setActive(next);
            listRef.current?.children[next]?.scrollIntoView({ block: "nearest" });
          } else if (e.key === "Enter") {
            e.preventDefault();
            const o = filtered[active];
            if (o) pick(o);
          }
        };
        return (
          <div className="flex max-h-80 flex-col">
            <div className="relative border-b border-line">
              <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-fg-subtle" aria-hidden />
              <input
                autoFocus
                value={q}
                onChange={(e) => {
                  setQ(e.target.value);
                  setActive(0);
                }}
                onKeyDown={onKey}
                placeholder="Search…"
                aria-label="Search options"
                className="h-9 w-full bg-transparent pr-3 pl-8 text-sm outline-none placeholder:text-fg-subtle"
              />
            </div>
            {clearLabel && value && (
              <button type="button" onClick={() => pick(null)} className="border-b border-line px-3 py-1.5 text-left text-xs text-fg-muted hover:bg-surface-3">
                {clearLabel}
              </button>
            )}
            <ul ref={listRef} role="listbox" aria-label={rest["aria-label"]} className="min-h-0 flex-1 overflow-y-auto py-1">
              {filtered.length === 0 && <li className="px-3 py-3 text-center text-sm text-fg-muted">No matches</li>}
              {filtered.map((o, i) => (
                <li
                  key={o.value}
                  role="option"
                  aria-selected={o.value === value}
                  aria-disabled={o.disabled || undefined}
                  title={o.disabled ? o.disabledReason : undefined}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => pick(o)}
                  className={clsx("flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm", i === active && "bg-surface-3", o.disabled && "cursor-not-allowed opacity-50")}
                >
                  <Check className={clsx("size-3.5 shrink-0", o.value === value ? "text-accent-text" : "invisible")} aria-hidden />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-fg">{o.label}</span>
                    {(o.detail || o.disabledReason) && <span className="block truncate text-xs text-fg-muted">{o.disabled && o.disabledReason ? o.disabledReason : o.detail}</span>}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        );
      }}
    </Popover>
  );
}
