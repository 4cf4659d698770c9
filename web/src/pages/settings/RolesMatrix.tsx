import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Check, Minus } from "lucide-react";
import { Badge, Card, CardHeader, ErrorState, RefreshButton, Skeleton } from "../../components";
import { api } from "../../lib/api";
import { useMe } from "../../lib/auth";
import { roleLabel } from "../../lib/format";
import type { RolesResponse } from "../../lib/types";

const PERMISSION_TEXT: Record<string, string> = {
  "tenant:read": "View tenant settings",
  "tenant:write": "Change tenant settings and branding",
  "users:read": "View users",
  "users:write": "Add, edit and remove users",
  "api_keys:read": "View API keys",
  "api_keys:write": "Create and revoke API keys",
  "audit:read": "Read the audit log",
  "jobs:read": "View background jobs",
  "jobs:write": "Retry and cancel jobs",
  "recycle_bin:read": "View deleted records",
  "recycle_bin:write": "Restore and purge deleted records",
  "tenants:switch": "Switch between tenants",
  "carriers:read": "View carriers, interconnects and trunk groups",
  "carriers:write": "Manage carriers, interconnects and trunk groups",
};

function describe(p: string): string {
  const known = PERMISSION_TEXT[p];
  if (known) return known;
  const [resource = p, verb] = p.split(":");
  const what = resource.replaceAll("_", " ");
  return verb === "read" ? `View ${what}` : verb === "write" ? `Change ${what}` : p;
}

/** Role × permission matrix from GET /api/roles. */
export function RolesMatrix() {
  const me = useMe();
  const query = useQuery({ queryKey: ["roles"], queryFn: () => api.get<RolesResponse>("/roles"), staleTime: 5 * 60_000 });

  return (
    <Card className="flex min-h-0 flex-col">
      <CardHeader
        title="Role permissions"
        description="What each role may do. Roles are fixed by the platform; assign them per user on the Users tab."
        actions={<RefreshButton size="sm" onRefresh={() => query.refetch()} fetching={query.isFetching} />}
      />
      {query.isLoading ? (
        <div className="space-y-2 p-4">
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} className="h-6 w-full" />
          ))}
        </div>
      ) : query.error ? (
        <ErrorState compact error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : query.data ? (
        <div className="min-h-0 overflow-auto">
          <table className="w-full border-separate border-spacing-0 text-sm">
            <thead>
              <tr>
                <th scope="col" className="sticky top-0 left-0 z-20 min-w-64 border-b border-line bg-surface-2 px-4 py-2 text-left text-xs font-medium text-fg-muted">
                  Permission
                </th>
                {query.data.roles.map((r) => (
                  <th
                    key={r.role}
                    scope="col"
                    className={clsx("sticky top-0 z-10 border-b border-line bg-surface-2 px-3 py-2 text-center text-xs font-medium whitespace-nowrap", r.role === me.user.role ? "text-accent-text" : "text-fg-muted")}
                  >
                    <div>{roleLabel(r.role)}</div>
                    <div className="mt-1">
                      <Badge tone={r.staff ? "neutral" : "info"}>{r.staff ? "staff" : "portal"}</Badge>
                    </div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {query.data.permissions.map((p) => (
                <tr key={p} className="hover:bg-surface-2">
                  <th scope="row" className="sticky left-0 z-10 border-b border-line bg-surface px-4 py-1.5 text-left font-normal">
                    <div className="font-mono text-xs text-fg">{p}</div>
                    <div className="text-xs text-fg-subtle">{describe(p)}</div>
                  </th>
                  {query.data.roles.map((r) => {
                    const has = r.permissions.includes(p);
                    return (
                      <td key={r.role} className={clsx("border-b border-line px-3 py-1.5 text-center", r.role === me.user.role && "bg-accent-soft/60")}>
                        {has ? (
                          <Check className="mx-auto size-4 text-emerald-600 dark:text-emerald-400" aria-label={`${roleLabel(r.role)} has ${p}`} />
                        ) : (
                          <Minus className="mx-auto size-3.5 text-fg-subtle/50" aria-label={`${roleLabel(r.role)} lacks ${p}`} />
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}
