import { create } from "zustand";
import { persist } from "zustand/middleware";

export type Theme = "light" | "dark" | "system";

interface UiState {
  theme: Theme;
  setTheme: (theme: Theme) => void;
  sidebarCollapsed: boolean;
  setSidebarCollapsed: (collapsed: boolean) => void;
  toggleSidebar: () => void;
}

/** UI-only state (never server data), persisted in localStorage. */
export const useUi = create<UiState>()(
  persist(
    (set) => ({
      theme: "system",
      setTheme: (theme) => set({ theme }),
      sidebarCollapsed: false,
      setSidebarCollapsed: (sidebarCollapsed) => set({ sidebarCollapsed }),
      toggleSidebar: () => set((s) => ({ sidebarCollapsed: !s.sidebarCollapsed })),
    }),
    { name: "didtron-ui", version: 1 },
  ),
);

const darkQuery = () => window.matchMedia("(prefers-color-scheme: dark)");

export function resolveTheme(theme: Theme): "light" | "dark" {
  if (theme === "system") return darkQuery().matches ? "dark" : "light";
  return theme;
}

/** Keeps the `dark` class on <html> in step with the chosen theme (and the OS for "system"). */
export function startThemeSync(): () => void {
  const apply = () => {
    const dark = resolveTheme(useUi.getState().theme) === "dark";
    document.documentElement.classList.toggle("dark", dark);
  };
  apply();
  const unsub = useUi.subscribe(apply);
  const mq = darkQuery();
  mq.addEventListener("change", apply);
  return () => {
    unsub();
    mq.removeEventListener("change", apply);
  };
}
