import { useNavigate } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Bell, CheckCheck } from "lucide-react";
import { Button, EmptyState, ErrorState, Popover, SkeletonText, Tooltip, toast } from "../components";
import { api } from "../lib/api";
import { formatFull, formatRelative } from "../lib/format";
import type { Notification } from "../lib/types";

export const notificationsKey = ["notifications"] as const;

export function useNotifications() {
  return useQuery({
    queryKey: notificationsKey,
    queryFn: () => api.get<{ rows: Notification[]; unread: number }>("/notifications"),
    refetchInterval: 60_000,
  });
}

const severityDot: Record<string, string> = {
  info: "bg-sky-500",
  warning: "bg-amber-500",
  error: "bg-red-500",
};

/** Bell with unread count; the dropdown lists notifications and marks them read. */
export function NotificationsMenu() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const query = useNotifications();
  const unread = query.data?.unread ?? 0;
  const markRead = useMutation({
    mutationFn: (ids: string[] | "all") => api.post<{ marked: number }>("/notifications/read", { ids }),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationsKey }),
    onError: (e) => toast.error(e),
  });

  return (
    <Popover
      align="end"
      label="Notifications"
      className="w-[380px] max-w-[calc(100vw-1rem)]"
      trigger={(p) => (
        <Tooltip content="Notifications" side="bottom">
          <button
            {...p}
            type="button"
            aria-label={unread > 0 ? `Notifications (${unread} unread)` : "Notifications"}
            className="relative inline-flex size-8 items-center justify-center rounded-md text-fg-muted transition-colors hover:bg-surface-3 hover:text-fg"
          >
            <Bell className="size-4" />
            {unread > 0 && (
              <span className="absolute -top-0.5 -right-0.5 flex h-4 min-w-4 items-center justify-center rounded-full bg-red-600 px-1 text-[10px] leading-none font-semibold text-white ring-2 ring-surface tabular">
                {unread > 99 ? "99+" : unread}
              </span>
            )}
          </button>
        </Tooltip>
      )}
    >
      {(close) => (
        <div className="flex max-h-[480px] flex-col">
          <div className="flex shrink-0 items-center justify-between border-b border-line px-4 py-2.5">
            <p className="text-sm font-semibold">
              Notifications {unread > 0 && <span className="ml-1 text-xs font-normal text-fg-muted">{unread} unread</span>}
            </p>
            <Button size="xs" variant="ghost" icon={<CheckCheck className="size-3.5" />} disabled={unread === 0} loading={markRead.isPending} onClick={() => markRead.mutate("all")}>
              Mark all read
            </Button>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto">
            {query.isLoading ? (
              <SkeletonText lines={4} className="p-4" />
            ) : query.error ? (
              <ErrorState compact error={query.error} onRetry={() => void query.refetch()} />
            ) : !query.data?.rows.length ? (
              <EmptyState compact icon={<Bell />} title="You're all caught up" description="Alerts about jobs, balances and your account appear here." />
            ) : (
              <ul className="divide-y divide-line">
                {query.data.rows.map((n) => (
                  <li key={n.id}>
                    <button
                      type="button"
                      onClick={() => {
                        if (!n.readAt) markRead.mutate([n.id]);
                        if (n.link) {
                          close();
                          navigate(n.link);
                        }
                      }}
                      className={clsx("flex w-full items-start gap-3 px-4 py-2.5 text-left hover:bg-surface-2", !n.readAt && "bg-accent-soft/50")}
                    >
                      <span className={clsx("mt-1.5 size-2 shrink-0 rounded-full", n.readAt ? "bg-transparent ring-1 ring-line-strong" : (severityDot[n.severity] ?? "bg-sky-500"))} aria-hidden />
                      <span className="min-w-0 flex-1">
                        <span className={clsx("block text-sm", n.readAt ? "text-fg-muted" : "font-medium text-fg")}>{n.title}</span>
                        {n.body && <span className="mt-0.5 block text-xs text-fg-muted">{n.body}</span>}
                        <span className="mt-1 block text-2xs text-fg-subtle" title={formatFull(n.createdAt)}>
                          {formatRelative(n.createdAt)}
                          {!n.readAt && <span className="sr-only"> · unread</span>}
                        </span>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </Popover>
  );
}
