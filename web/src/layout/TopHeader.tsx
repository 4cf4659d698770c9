import { Link } from "react-router";
import { PanelLeftOpen } from "lucide-react";
import { IconButton } from "../components";
import { useMe } from "../lib/auth";
import { useUi } from "../stores/ui";
import { BrandMark } from "./BrandMark";
import { GlobalSearch } from "./GlobalSearch";
import { NotificationsMenu } from "./NotificationsMenu";
import { ThemeToggle } from "./ThemeToggle";
import { UserMenu } from "./UserMenu";

export function TopHeader() {
  const me = useMe();
  const collapsed = useUi((s) => s.sidebarCollapsed);
  const setCollapsed = useUi((s) => s.setSidebarCollapsed);
  return (
    <header className="relative z-30 flex h-12 shrink-0 items-center border-b border-line bg-surface">
      <div className={collapsed ? "flex h-full shrink-0 items-center gap-1 pr-3 pl-3" : "flex h-full w-[276px] shrink-0 items-center gap-1 pr-3 pl-3"}>
        <Link to="/" className="flex min-w-0 items-center gap-2.5 rounded-md py-1 pr-2" aria-label={`${me.tenant.brandName} home`}>
          <BrandMark name={me.tenant.brandName} logoDataUrl={me.tenant.logoDataUrl} />
          <span className="min-w-0 truncate text-sm font-semibold tracking-tight text-fg">{me.tenant.brandName}</span>
        </Link>
        {collapsed && <IconButton label="Expand sidebar" size="sm" icon={<PanelLeftOpen className="size-4" />} onClick={() => setCollapsed(false)} />}
      </div>
      <div className="flex min-w-0 flex-1 items-center gap-3 pr-3 pl-1 sm:pr-4">
        <GlobalSearch />
        <div className="ml-auto flex shrink-0 items-center gap-1">
          <ThemeToggle />
          <NotificationsMenu />
          <div className="mx-1.5 h-5 w-px bg-line" aria-hidden />
          <UserMenu />
        </div>
      </div>
    </header>
  );
}
