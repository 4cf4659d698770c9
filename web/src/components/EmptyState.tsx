import type { ReactNode } from "react";
import { clsx } from "clsx";
import { Inbox } from "lucide-react";

interface EmptyStateProps {
  icon?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  action?: ReactNode;
  compact?: boolean;
  className?: string;
}

export function EmptyState({ icon, title, description, action, compact, className }: EmptyStateProps) {
  return (
    <div className={clsx("flex flex-col items-center justify-center text-center", compact ? "gap-2 px-4 py-8" : "gap-3 px-6 py-14", className)}>
      <div className={clsx("flex items-center justify-center rounded-xl border border-line bg-surface-2 text-fg-subtle", compact ? "size-9 [&_svg]:size-4" : "size-11 [&_svg]:size-5")}>
        {icon ?? <Inbox />}
      </div>
      <div className="max-w-sm">
        <p className="text-sm font-semibold text-fg">{title}</p>
        {description && <p className="mt-1 text-sm text-fg-muted">{description}</p>}
      </div>
      {action && <div className="mt-1 flex items-center gap-2">{action}</div>}
    </div>
  );
}
