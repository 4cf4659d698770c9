import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router";
import "@fontsource-variable/inter";
import "./styles.css";
import { queryClient } from "./lib/queryClient";
import { setCsrfToken, setUnauthorizedHandler } from "./lib/api";
import { applyAccent } from "./lib/color";
import { leaveToLogin, registerLeave } from "./lib/session";
import { startThemeSync } from "./stores/ui";
import { router } from "./router";

startThemeSync();

// Leaving the console: go to /login first (unmounting every page), then drop all
// cached server data so nothing of this user or tenant is left in memory.
registerLeave(async ({ returnTo }) => {
  const loc = router.state.location;
  if (loc.pathname !== "/login") {
    await router.navigate(returnTo ? `/login?next=${encodeURIComponent(returnTo)}` : "/login", { replace: true });
  }
  queryClient.clear();
  setCsrfToken(null);
  applyAccent(null);
});

setUnauthorizedHandler(() => {
  const loc = router.state.location;
  if (loc.pathname === "/login") return;
  const here = loc.pathname + loc.search;
  void leaveToLogin({ returnTo: here === "/" ? undefined : here });
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
