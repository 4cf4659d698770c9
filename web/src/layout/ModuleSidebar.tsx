import { NavLink } from "react-router";
import { clsx } from "clsx";
import { PanelLeftClose } from "lucide-react";
import { IconButton } from "../components";
import type { NavModule, NavPage } from "../nav";
import { useUi } from "../stores/ui";

/**
 * Second sidebar: the chosen module's pages, then shortcuts to the built pages of the
 * other modules (each page is linked once, so names stay unique on screen). Collapsible.
 */
export function ModuleSidebar({ module, modules }: { module: NavModule | undefined; modules: NavModule[] }) {
  const collapsed = useUi((s) => s.sidebarCollapsed);
  const setCollapsed = useUi((s) => s.setSidebarCollapsed);
  if (collapsed || !module) return null;
  const shortcuts = modules
    .filter((m) => m.id !== module.id)
    .flatMap((m) => m.pages.filter((p) => p.component && p.path !== "/").map((page) => ({ page, module: m })));
  return (
    <nav aria-label={`${module.label} pages`} className="flex w-[220px] shrink-0 flex-col border-r border-line bg-surface">
      <div className="flex h-11 shrink-0 items-center justify-between gap-2 pr-2 pl-4">
        <span className="truncate text-2xs font-semibold tracking-wider text-fg-subtle uppercase">{module.label}</span>
        <IconButton label="Collapse sidebar" size="sm" icon={<PanelLeftClose className="size-4" />} onClick={() => setCollapsed(true)} tooltipSide="right" />
      </div>
      <div className="flex min-h-0 flex-1 flex-col overflow-y-auto px-2 pb-3">
        <ul className="flex flex-col gap-0.5">
          {module.pages.map((p) => (
            <li key={p.id}>
              <SidebarLink page={p} />
            </li>
          ))}
        </ul>
        {shortcuts.length > 0 && (
          <>
            <p className="mt-5 mb-1 px-2.5 text-2xs font-semibold tracking-wider text-fg-subtle uppercase">Shortcuts</p>
            <ul className="flex flex-col gap-0.5">
              {shortcuts.map(({ page, module: m }) => (
                <li key={page.path}>
                  <SidebarLink page={page} hint={m.label} compact />
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <p className="shrink-0 border-t border-line px-4 py-2.5 text-xs leading-4 text-fg-subtle">{module.description}</p>
    </nav>
  );
}

function SidebarLink({ page, hint, compact }: { page: NavPage; hint?: string; compact?: boolean }) {
  const Icon = page.icon;
  return (
    <NavLink
      to={page.path}
      end
      title={hint ? `${hint} › ${page.label}` : undefined}
      className={({ isActive }) =>
        clsx(
          "group flex items-center gap-2.5 rounded-md px-2.5 text-sm transition-colors",
          compact ? "h-7" : "h-8",
          isActive ? "bg-accent-soft font-medium text-accent-text" : compact ? "text-fg-subtle hover:bg-surface-3 hover:text-fg" : "text-fg-muted hover:bg-surface-3 hover:text-fg",
        )
      }
    >
      <Icon className={clsx("shrink-0", compact ? "size-3.5 opacity-70" : "size-4 opacity-80")} strokeWidth={1.75} aria-hidden />
      <span className="min-w-0 flex-1 truncate">{page.label}</span>
      {!page.component && (
        <span className="rounded bg-surface-3 px-1 py-px text-[10px] font-medium text-fg-subtle" aria-hidden>
          Soon
        </span>
      )}
    </NavLink>
  );
}
