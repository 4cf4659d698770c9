import { useMutation } from "@tanstack/react-query";
import { LogOut, PhoneCall } from "lucide-react";
import { Button, Card, EmptyState, Toaster } from "../components";
import { api } from "../lib/api";
import { useMe } from "../lib/auth";
import { leaveToLogin } from "../lib/session";
import { BrandMark } from "../layout/BrandMark";
import { ThemeToggle } from "../layout/ThemeToggle";

/** Customer / carrier portal users get this until the portal is built. */
export function PortalPage() {
  const me = useMe();
  const signOut = useMutation({ mutationFn: () => api.post("/auth/logout"), onSettled: () => void leaveToLogin() });
  return (
    <div className="flex h-full flex-col bg-canvas">
      <header className="flex h-12 shrink-0 items-center justify-between border-b border-line bg-surface px-4">
        <div className="flex items-center gap-2.5">
          <BrandMark name={me.tenant.brandName} logoDataUrl={me.tenant.logoDataUrl} />
          <span className="text-sm font-semibold">{me.tenant.brandName}</span>
        </div>
        <div className="flex items-center gap-2">
          <ThemeToggle />
          <span className="hidden text-sm text-fg-muted sm:inline">{me.user.email}</span>
          <Button size="sm" onClick={() => signOut.mutate()} loading={signOut.isPending} icon={<LogOut className="size-3.5" />}>
            Sign out
          </Button>
        </div>
      </header>
      <main className="flex flex-1 items-start justify-center p-6 sm:pt-[12vh]">
        <Card className="w-full max-w-lg">
          <EmptyState
            icon={<PhoneCall />}
            title="Customer portal — coming soon"
            description={`Hello ${me.user.name}. Your self-service portal for balances, rates, CDRs and invoices is on its way. Until then, contact your account manager at ${me.tenant.name}.`}
          />
        </Card>
      </main>
      <Toaster />
    </div>
  );
}
