import { createBrowserRouter, type RouteObject } from "react-router";
import { AppShell } from "./layout/AppShell";
import { RequireAuth } from "./layout/RequireAuth";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { RouteError } from "./pages/RouteError";
import { RouteGate } from "./pages/RouteGate";
import { NAV } from "./nav";

/** Every page of the navigation config becomes a route (placeholder if it has no component). */
const pageRoutes: RouteObject[] = NAV.flatMap((module) =>
  module.pages.flatMap((page) => [
    page.path === "/" ? { index: true, element: <RouteGate module={module} page={page} /> } : { path: page.path.slice(1), element: <RouteGate module={module} page={page} /> },
    // Detail routes share their page's permission gate.
    ...(page.details ?? []).map((d) => ({ path: d.path.slice(1), element: <RouteGate module={module} page={{ ...page, component: d.component }} /> })),
  ]),
);

export const router = createBrowserRouter([
  { path: "/login", element: <LoginPage />, errorElement: <RouteError /> },
  {
    path: "/",
    element: <RequireAuth />,
    errorElement: <RouteError />,
    children: [
      {
        element: <AppShell />,
        errorElement: <RouteError />,
        children: [...pageRoutes, { path: "*", element: <NotFoundPage /> }],
      },
    ],
  },
]);
