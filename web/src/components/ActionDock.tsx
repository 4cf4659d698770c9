import type { ReactNode } from "react";
import { clsx } from "clsx";

interface ActionDockProps {
  /** Primary actions, right-aligned (primary button last). */
  children: ReactNode;
  /** Status on the left, e.g. "Unsaved changes" or "3 selected". */
  start?: ReactNode;
  className?: string;
}

/** Fixed bar at the bottom of the content area holding the page's primary actions. */
export function ActionDock({ children, start, className }: ActionDockProps) {
  return (
    <div
      role="toolbar"
      aria-label="Page actions"
      className={clsx("flex h-12 shrink-0 items-center justify-between gap-3 border-t border-line bg-surface/95 px-4 backdrop-blur supports-[backdrop-filter]:bg-surface/80 sm:px-6", className)}
    >
      <div className="flex min-w-0 items-center gap-2 text-sm text-fg-muted">{start}</div>
      <div className="flex shrink-0 items-center gap-2">{children}</div>
    </div>
  );
}
