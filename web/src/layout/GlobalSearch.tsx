import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { useNavigate } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { CornerDownLeft, Loader2, Search, User } from "lucide-react";
import { api } from "../lib/api";
import { useCan } from "../lib/auth";
import { useDebouncedValue } from "../lib/hooks";
import type { SearchHit } from "../lib/types";
import { visibleNav } from "../nav";

interface Option {
  key: string;
  group: string;
  title: string;
  subtitle?: string | null;
  link: string;
  icon: ReactNode;
}

const IS_MAC = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** Header search: pages of the console plus GET /api/search hits; Ctrl/⌘+K focuses it. */
export function GlobalSearch() {
  const navigate = useNavigate();
  const can = useCan();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const listId = useId();
  const q = useDebouncedValue(text.trim(), 200);

  const search = useQuery({
    queryKey: ["search", q],
    queryFn: ({ signal }) => api.get<{ hits: SearchHit[] }>("/search", { q }, signal),
    enabled: q.length > 0,
    staleTime: 30_000,
  });

  const options = useMemo<Option[]>(() => {
    const needle = text.trim().toLowerCase();
    if (!needle) return [];
    const pages: Option[] = visibleNav(can)
      .flatMap((m) => m.pages.map((p) => ({ m, p })))
      .filter(({ m, p }) => p.label.toLowerCase().includes(needle) || m.label.toLowerCase().includes(needle))
      .slice(0, 5)
      .map(({ m, p }) => {
        const Icon = p.icon;
        return { key: `page:${p.path}`, group: "Pages", title: p.label, subtitle: m.label, link: p.path, icon: <Icon className="size-3.5" /> };
      });
    const hits: Option[] = (q && q === text.trim() ? (search.data?.hits ?? []) : []).map((h) => ({
      key: `${h.kind}:${h.id}`,
      group: h.kind === "user" ? "Users" : h.kind.charAt(0).toUpperCase() + h.kind.slice(1),
      title: h.title,
      subtitle: h.subtitle,
      link: h.link,
      icon: <User className="size-3.5" />,
    }));
    return [...pages, ...hits];
  }, [text, q, search.data, can]);

  useEffect(() => setActive(0), [text]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        inputRef.current?.focus();
        inputRef.current?.select();
      }
    };
    const onDown = (e: MouseEvent) => {
      if (!boxRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onDown);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onDown);
    };
  }, []);

  const go = (o: Option) => {
    setOpen(false);
    setText("");
    inputRef.current?.blur();
    navigate(o.link);
  };

  const showPanel = open && text.trim().length > 0;
  const loading = search.isFetching || (text.trim() !== q && text.trim().length > 0);
  let lastGroup = "";

  return (
    <div ref={boxRef} className="relative w-full max-w-md min-w-0">
      <Search className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-fg-subtle" aria-hidden />
      <input
        ref={inputRef}
        type="text"
        role="combobox"
        aria-label="Quick find"
        aria-expanded={showPanel}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showPanel && options[active] ? `${listId}-${active}` : undefined}
        placeholder="Find users, pages…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, options.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === "Enter") {
            const o = options[active];
            if (o) go(o);
          } else if (e.key === "Escape") {
            setOpen(false);
            inputRef.current?.blur();
          }
        }}
        className="h-8 w-full rounded-md border border-line bg-surface-2 pr-14 pl-8 text-sm text-fg placeholder:text-fg-subtle transition-colors hover:border-line-strong focus:border-accent focus:bg-surface focus:ring-3 focus:ring-accent/20"
      />
      <span className="pointer-events-none absolute top-1/2 right-2 flex -translate-y-1/2 items-center gap-1">
        {loading && <Loader2 className="size-3.5 animate-spin text-fg-subtle" aria-hidden />}
        <kbd className="rounded border border-line bg-surface px-1 font-sans text-[10px] text-fg-subtle">{IS_MAC ? "⌘K" : "Ctrl K"}</kbd>
      </span>
      {showPanel && (
        <div className="absolute top-full right-0 left-0 z-[60] mt-1 animate-pop-in overflow-hidden rounded-lg border border-line bg-surface shadow-pop">
          <ul id={listId} role="listbox" aria-label="Results" className="max-h-96 overflow-y-auto py-1">
            {options.map((o, i) => {
              const heading = o.group !== lastGroup ? o.group : null;
              lastGroup = o.group;
              return (
                <li key={o.key} role="presentation">
                  {heading && <div className="px-3 pt-2 pb-1 text-2xs font-semibold tracking-wide text-fg-subtle uppercase">{heading}</div>}
                  <div
                    id={`${listId}-${i}`}
                    role="option"
                    aria-selected={i === active}
                    onMouseEnter={() => setActive(i)}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => go(o)}
                    className={clsx("flex cursor-pointer items-center gap-2.5 px-3 py-1.5", i === active ? "bg-surface-3" : "")}
                  >
                    <span className="flex size-6 shrink-0 items-center justify-center rounded-md border border-line bg-surface-2 text-fg-muted">{o.icon}</span>
                    <span className="min-w-0 flex-1">
                      <span className="block truncate text-sm text-fg">{o.title}</span>
                      {o.subtitle && <span className="block truncate text-xs text-fg-subtle">{o.subtitle}</span>}
                    </span>
                    {i === active && <CornerDownLeft className="size-3.5 shrink-0 text-fg-subtle" aria-hidden />}
                  </div>
                </li>
              );
            })}
            {options.length === 0 && !loading && <li className="px-3 py-6 text-center text-sm text-fg-muted">No results for “{text.trim()}”</li>}
            {options.length === 0 && loading && <li className="px-3 py-6 text-center text-sm text-fg-muted">Searching…</li>}
            {search.error != null && <li className="border-t border-line px-3 py-2 text-xs text-red-600 dark:text-red-400">Search failed: {(search.error as Error).message}</li>}
          </ul>
        </div>
      )}
    </div>
  );
}
