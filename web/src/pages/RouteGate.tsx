import { useCan } from "../lib/auth";
import type { NavModule, NavPage } from "../nav";
import { ComingSoonPage } from "./ComingSoonPage";
import { ForbiddenPage } from "./ForbiddenPage";

/** Renders a navigation page: permission check, then the page or its placeholder. */
export function RouteGate({ module, page }: { module: NavModule; page: NavPage }) {
  const can = useCan();
  if (page.permission && !can(page.permission)) return <ForbiddenPage page={page} />;
  const Component = page.component;
  if (!Component) return <ComingSoonPage module={module} page={page} />;
  return <Component />;
}
