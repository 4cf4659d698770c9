import { clsx } from "clsx";
import { RotateCcw, ShieldAlert, TriangleAlert } from "lucide-react";
import { ApiError } from "../lib/api";
import { Button } from "./Button";

interface ErrorStateProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  retrying?: boolean;
  compact?: boolean;
  className?: string;
}

/** Shows the API's message and error code (and request id, for support). */
export function ErrorState({ error, title, onRetry, retrying, compact, className }: ErrorStateProps) {
  const api = error instanceof ApiError ? error : null;
  const forbidden = api?.status === 403;
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "Unknown error";
  return (
    <div role="alert" className={clsx("flex flex-col items-center justify-center text-center", compact ? "gap-2 px-4 py-8" : "gap-3 px-6 py-14", className)}>
      <div
        className={clsx(
          "flex items-center justify-center rounded-xl border",
          compact ? "size-9 [&_svg]:size-4" : "size-11 [&_svg]:size-5",
          forbidden
            ? "border-amber-500/30 bg-amber-50 text-amber-600 dark:bg-amber-500/10 dark:text-amber-400"
            : "border-red-500/25 bg-red-50 text-red-600 dark:bg-red-500/10 dark:text-red-400",
        )}
      >
        {forbidden ? <ShieldAlert /> : <TriangleAlert />}
      </div>
      <div className="max-w-md">
        <p className="text-sm font-semibold text-fg">{title ?? (forbidden ? "You don't have access to this" : "Could not load this")}</p>
        <p className="mt-1 text-sm break-words text-fg-muted">{message}</p>
        {api && (
          <p className="mt-1.5 font-mono text-2xs text-fg-subtle">
            {api.code}
            {api.status ? ` · HTTP ${api.status}` : ""}
            {api.requestId ? ` · request ${api.requestId}` : ""}
          </p>
        )}
      </div>
      {onRetry && !forbidden && (
        <Button size="sm" onClick={onRetry} loading={retrying} icon={<RotateCcw className="size-3.5" />}>
          Try again
        </Button>
      )}
    </div>
  );
}
