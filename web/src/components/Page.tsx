import type { ReactNode } from "react";
import { clsx } from "clsx";

interface PageProps {
  header: ReactNode;
  dock?: ReactNode;
  children: ReactNode;
  /** Content fills the height (for table pages: the table scrolls, not the page). */
  fill?: boolean;
  /** Max width for form pages. */
  narrow?: boolean;
  className?: string;
}

/** Page frame: header on top, scrolling content, optional action dock pinned at the bottom. */
export function Page({ header, dock, children, fill, narrow, className }: PageProps) {
  return (
    <div className="flex h-full min-h-0 min-w-0 flex-col">
      {header}
      <div className={clsx("min-h-0 min-w-0 flex-1", fill ? "flex flex-col overflow-auto" : "overflow-y-auto")}>
        <div className={clsx("min-w-0 p-4 sm:p-6", fill && "flex min-h-[420px] flex-1 flex-col", narrow && "mx-auto w-full max-w-4xl", className)}>{children}</div>
      </div>
      {dock}
    </div>
  );
}
