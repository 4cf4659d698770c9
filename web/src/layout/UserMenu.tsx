import { useState, type ReactNode } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Building2, Check, ChevronDown, KeyRound, LogOut, MonitorX } from "lucide-react";
import { Badge, ConfirmDialog, Popover, toast } from "../components";
import { api } from "../lib/api";
import { useMe } from "../lib/auth";
import { initials, roleLabel } from "../lib/format";
import { leaveToLogin } from "../lib/session";
import { ChangePasswordDialog } from "./ChangePasswordDialog";

function MenuButton({ icon, children, onClick, danger, disabled, trailing }: { icon: ReactNode; children: ReactNode; onClick: () => void; danger?: boolean; disabled?: boolean; trailing?: ReactNode }) {
  return (
    <button
      type="button"
      role="menuitem"
      disabled={disabled}
      onClick={onClick}
      className={clsx(
        "flex w-full items-center gap-2.5 px-3 py-1.5 text-left text-sm outline-none disabled:cursor-not-allowed disabled:opacity-50",
        danger ? "text-red-600 hover:bg-red-50 focus:bg-red-50 dark:text-red-400 dark:hover:bg-red-500/10 dark:focus:bg-red-500/10" : "text-fg hover:bg-surface-3 focus:bg-surface-3",
      )}
    >
      <span className="flex size-4 shrink-0 items-center justify-center text-fg-subtle [&_svg]:size-3.5">{icon}</span>
      <span className="min-w-0 flex-1 truncate">{children}</span>
      {trailing}
    </button>
  );
}

export function UserMenu() {
  const me = useMe();
  const qc = useQueryClient();
  const [pwOpen, setPwOpen] = useState(false);
  const [everywhereOpen, setEverywhereOpen] = useState(false);

  const switchTenant = useMutation({
    mutationFn: (tenantId: string) => api.post("/auth/switch-tenant", { tenantId }),
    onSuccess: async (_d, tenantId) => {
      await qc.invalidateQueries();
      const t = me.tenants.find((x) => x.id === tenantId);
      toast.success(`Switched to ${t?.name ?? "tenant"}`);
    },
    onError: (e) => toast.error(e),
  });

  const signOut = useMutation({
    mutationFn: () => api.post("/auth/logout"),
    onSettled: () => void leaveToLogin(),
  });

  return (
    <>
      <Popover
        role="menu"
        align="end"
        label="User menu"
        className="w-72 py-1"
        trigger={(p) => (
          <button
            {...p}
            type="button"
            aria-label={`User menu: ${me.user.name}`}
            className="flex h-8 max-w-56 items-center gap-2 rounded-md py-1 pr-1.5 pl-1 text-left transition-colors hover:bg-surface-3"
          >
            <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-gradient-to-br from-slate-600 to-slate-800 text-[10px] font-semibold text-white dark:from-slate-500 dark:to-slate-700">
              {initials(me.user.name)}
            </span>
            <span className="hidden min-w-0 flex-col leading-tight lg:flex">
              <span className="truncate text-xs font-medium text-fg">{me.user.name}</span>
              <span className="truncate text-[10px] text-fg-subtle">{roleLabel(me.user.role)}</span>
            </span>
            <ChevronDown className="size-3.5 shrink-0 text-fg-subtle" aria-hidden />
          </button>
        )}
      >
        {(close) => (
          <div>
            <div className="border-b border-line px-3 pt-2 pb-2.5">
              <p className="truncate text-sm font-medium text-fg">{me.user.name}</p>
              <p className="truncate text-xs text-fg-muted">{me.user.email}</p>
              <div className="mt-1.5 flex flex-wrap items-center gap-1.5">
                <Badge tone="accent">{roleLabel(me.user.role)}</Badge>
                <Badge tone="neutral" title={me.tenant.id}>
                  {me.tenant.name}
                </Badge>
              </div>
            </div>
            {me.tenants.length > 0 && (
              <div className="border-b border-line py-1">
                <p className="px-3 pt-1.5 pb-1 text-2xs font-semibold tracking-wide text-fg-subtle uppercase">Switch tenant</p>
                <div className="max-h-56 overflow-y-auto">
                  {me.tenants.map((t) => {
                    const current = t.id === me.tenant.id;
                    return (
                      <MenuButton
                        key={t.id}
                        icon={<Building2 />}
                        disabled={switchTenant.isPending}
                        onClick={() => {
                          close();
                          if (!current) switchTenant.mutate(t.id);
                        }}
                        trailing={current ? <Check className="size-3.5 text-accent-text" aria-label="current tenant" /> : <span className="font-mono text-2xs text-fg-subtle">{t.slug}</span>}
                      >
                        {t.name}
                      </MenuButton>
                    );
                  })}
                </div>
              </div>
            )}
            <div className="py-1">
              <MenuButton
                icon={<KeyRound />}
                onClick={() => {
                  close();
                  setPwOpen(true);
                }}
              >
                Change password…
              </MenuButton>
            </div>
            <div className="border-t border-line py-1">
              <MenuButton
                icon={<LogOut />}
                onClick={() => {
                  close();
                  signOut.mutate();
                }}
              >
                Sign out
              </MenuButton>
              <MenuButton
                icon={<MonitorX />}
                danger
                onClick={() => {
                  close();
                  setEverywhereOpen(true);
                }}
              >
                Sign out everywhere…
              </MenuButton>
            </div>
          </div>
        )}
      </Popover>
      <ChangePasswordDialog open={pwOpen} onClose={() => setPwOpen(false)} />
      <ConfirmDialog
        open={everywhereOpen}
        onClose={() => setEverywhereOpen(false)}
        title="Sign out everywhere?"
        message="Every session of your account ends: this browser, other browsers and devices. API keys keep working."
        confirmLabel="Sign out everywhere"
        tone="danger"
        onConfirm={async () => {
          const r = await api.post<{ sessionsEnded: number }>("/auth/logout-everywhere");
          toast.info(`Signed out of ${r.sessionsEnded} session${r.sessionsEnded === 1 ? "" : "s"}`);
          void leaveToLogin();
        }}
      />
    </>
  );
}
