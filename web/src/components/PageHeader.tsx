import { useEffect, type ReactNode } from "react";
import { useLocation } from "react-router";
import { clsx } from "clsx";
import { ChevronRight } from "lucide-react";
import { Tabs, type TabItem } from "./Tabs";
import { findNav } from "../nav";

interface PageHeaderProps {
  title: ReactNode;
  /** Defaults to `Module / Page` from the navigation config. */
  breadcrumb?: ReactNode[];
  description?: ReactNode;
  /** Right side: the page's "Actions" dropdown, refresh button, etc. */
  actions?: ReactNode;
  /** Badges/meta next to the title. */
  meta?: ReactNode;
  tabs?: { items: TabItem[]; value: string; onChange: (id: string) => void };
  /** Sets the browser tab title from a string title (default true). */
  documentTitle?: boolean;
}

export function PageHeader({ title, breadcrumb, description, actions, meta, tabs, documentTitle = true }: PageHeaderProps) {
  const { pathname } = useLocation();
  useEffect(() => {
    if (!documentTitle || typeof title !== "string") return;
    const suffix = document.title.includes(" · ") ? document.title.slice(document.title.lastIndexOf(" · ") + 3) : document.title;
    document.title = `${title} · ${suffix || "DIDTron"}`;
  }, [title, documentTitle]);
  const nav = findNav(pathname);
  const crumbs = breadcrumb ?? (nav ? (nav.module.pages.length > 1 || nav.module.label !== nav.page.label ? [nav.module.label, nav.page.label] : [nav.module.label]) : []);
  return (
    <header className={clsx("shrink-0 border-b border-line bg-surface px-4 sm:px-6", tabs ? "pt-3" : "py-3")}>
      {crumbs.length > 0 && (
        <nav aria-label="Breadcrumb" className="mb-0.5 flex min-w-0 items-center gap-1 text-xs text-fg-subtle">
          {crumbs.map((c, i) => (
            <span key={i} className="flex min-w-0 items-center gap-1">
              {i > 0 && <ChevronRight className="size-3 shrink-0" aria-hidden />}
              <span className={clsx("truncate", i === crumbs.length - 1 && "text-fg-muted")} aria-current={i === crumbs.length - 1 ? "page" : undefined}>
                {c}
              </span>
            </span>
          ))}
        </nav>
      )}
      <div className="flex min-w-0 flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <div className="flex min-w-0 items-center gap-2.5">
          <h1 className="truncate text-lg leading-7 font-semibold tracking-tight text-fg">{title}</h1>
          {meta}
        </div>
        {actions && <div className="flex shrink-0 items-center gap-2">{actions}</div>}
      </div>
      {description && <p className="mt-0.5 max-w-3xl text-sm text-fg-muted">{description}</p>}
      {tabs && <Tabs className="mt-2" items={tabs.items} value={tabs.value} onChange={tabs.onChange} aria-label="Page sections" />}
    </header>
  );
}
