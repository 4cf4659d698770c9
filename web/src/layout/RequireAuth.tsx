import { useEffect } from "react";
import { Navigate, Outlet, useLocation } from "react-router";
import { Loader2 } from "lucide-react";
import { ErrorState } from "../components";
import { ApiError } from "../lib/api";
import { MeProvider, isPortalRole, useMeQuery } from "../lib/auth";
import { applyAccent } from "../lib/color";
import { PortalPage } from "../pages/PortalPage";

/** Loads /api/auth/me; unauthenticated visitors go to /login, portal users get the portal. */
export function RequireAuth() {
  const me = useMeQuery();
  const location = useLocation();
  const accent = me.data?.tenant.accentColor;

  useEffect(() => {
    if (accent) applyAccent(accent);
  }, [accent]);

  useEffect(() => {
    if (me.data) {
      const page = document.title.includes(" · ") ? document.title.slice(0, document.title.lastIndexOf(" · ")) : "";
      document.title = page ? `${page} · ${me.data.tenant.brandName}` : me.data.tenant.brandName;
    }
  }, [me.data?.tenant.brandName]);

  if (me.data) {
    return <MeProvider me={me.data}>{isPortalRole(me.data.user.role) ? <PortalPage /> : <Outlet />}</MeProvider>;
  }
  if (me.error instanceof ApiError && me.error.status === 401) {
    const next = location.pathname + location.search;
    return <Navigate to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.error) {
    return (
      <div className="flex h-full items-center justify-center bg-canvas">
        <ErrorState error={me.error} title="Could not reach the DIDTron API" onRetry={() => void me.refetch()} retrying={me.isFetching} />
      </div>
    );
  }
  return (
    <div className="flex h-full items-center justify-center bg-canvas text-fg-subtle" aria-busy="true">
      <Loader2 className="size-5 animate-spin" aria-label="Loading" />
    </div>
  );
}
