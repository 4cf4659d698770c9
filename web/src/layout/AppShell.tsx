import { Suspense } from "react";
import { Outlet, useLocation } from "react-router";
import { Skeleton, Toaster } from "../components";
import { useCan } from "../lib/auth";
import { findNav, visibleNav } from "../nav";
import { IconRail } from "./IconRail";
import { ModuleSidebar } from "./ModuleSidebar";
import { TopHeader } from "./TopHeader";

export function PageFallback() {
  return (
    <div className="flex h-full flex-col" aria-busy="true" aria-label="Loading page">
      <div className="border-b border-line bg-surface px-6 py-3">
        <Skeleton className="h-3 w-32" />
        <Skeleton className="mt-2 h-5 w-48" />
      </div>
      <div className="grid gap-4 p-6 sm:grid-cols-2 xl:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-24 rounded-lg" />
        ))}
        <Skeleton className="h-64 rounded-lg sm:col-span-2 xl:col-span-4" />
      </div>
    </div>
  );
}

/** Header on top; below it the icon rail, the module sidebar and the page. */
export function AppShell() {
  const can = useCan();
  const { pathname } = useLocation();
  const modules = visibleNav(can);
  const active = findNav(pathname);
  const activeModule = modules.find((m) => m.id === active?.module.id);
  return (
    <div className="flex h-full flex-col overflow-hidden bg-canvas text-fg">
      <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-[100] focus:rounded focus:bg-surface focus:px-3 focus:py-2">
        Skip to content
      </a>
      <TopHeader />
      <div className="flex min-h-0 flex-1">
        <IconRail modules={modules} activeId={activeModule?.id} />
        <ModuleSidebar module={activeModule} modules={modules} />
        <main id="main" className="min-h-0 min-w-0 flex-1 overflow-hidden">
          <Suspense fallback={<PageFallback />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
      <Toaster />
    </div>
  );
}
