import { Monitor, Moon, Sun } from "lucide-react";
import { DropdownMenu, Tooltip } from "../components";
import { useUi, type Theme } from "../stores/ui";

const OPTIONS: { id: Theme; label: string; icon: typeof Sun }[] = [
  { id: "light", label: "Light", icon: Sun },
  { id: "dark", label: "Dark", icon: Moon },
  { id: "system", label: "System", icon: Monitor },
];

/** "Toggle theme" button opening a Light / Dark / System menu (choice persisted). */
export function ThemeToggle() {
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);
  const current = OPTIONS.find((o) => o.id === theme) ?? OPTIONS[2]!;
  const Icon = current.icon;
  return (
    <DropdownMenu
      align="end"
      className="min-w-36"
      items={OPTIONS.map((o) => ({ label: o.label, checked: o.id === theme, onSelect: () => setTheme(o.id) }))}
      trigger={(p) => (
        <Tooltip content={`Theme: ${current.label}`} side="bottom">
          <button
            {...p}
            type="button"
            aria-label="Toggle theme"
            className="inline-flex size-8 items-center justify-center rounded-md text-fg-muted transition-colors hover:bg-surface-3 hover:text-fg"
          >
            <Icon className="size-4" />
          </button>
        </Tooltip>
      )}
    />
  );
}
