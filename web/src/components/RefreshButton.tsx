import { clsx } from "clsx";
import { RefreshCw } from "lucide-react";
import { Button } from "./Button";
import { IconButton } from "./Button";

interface RefreshButtonProps {
  /** Usually `() => query.refetch()`. */
  onRefresh: () => unknown;
  /** Usually `query.isFetching`: spins while a fetch is in flight. */
  fetching?: boolean;
  /** Show the word "Refresh" next to the icon. */
  withLabel?: boolean;
  size?: "sm" | "md";
  className?: string;
}

export function RefreshButton({ onRefresh, fetching = false, withLabel = false, size = "md", className }: RefreshButtonProps) {
  const icon = <RefreshCw className={clsx(size === "sm" ? "size-3.5" : "size-4", fetching && "animate-spin")} aria-hidden />;
  if (withLabel)
    return (
      <Button size={size} onClick={() => void onRefresh()} icon={icon} aria-busy={fetching || undefined} className={className}>
        Refresh
      </Button>
    );
  return <IconButton label="Refresh" variant="secondary" size={size} icon={icon} onClick={() => void onRefresh()} aria-busy={fetching || undefined} className={className} />;
}
