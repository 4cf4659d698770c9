import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from "react";
import { useNavigate } from "react-router";
import { clsx } from "clsx";
import { Check, ChevronDown } from "lucide-react";
import { Popover, type PopoverTriggerProps } from "./Popover";
import { Button, type ButtonVariant } from "./Button";

export interface MenuAction {
  type?: "item";
  label: ReactNode;
  icon?: ReactNode;
  onSelect?: () => void;
  /** Navigates instead of calling onSelect. */
  to?: string;
  danger?: boolean;
  disabled?: boolean;
  checked?: boolean;
  hint?: ReactNode;
  hidden?: boolean;
}

export type MenuItem =
  | MenuAction
  | { type: "separator"; hidden?: boolean }
  | { type: "heading"; label: ReactNode; hidden?: boolean };

interface DropdownMenuProps {
  items: MenuItem[];
  /** Custom trigger; defaults to a button showing `label` and a chevron. */
  trigger?: (props: PopoverTriggerProps) => ReactNode;
  label?: string;
  icon?: ReactNode;
  variant?: ButtonVariant;
  size?: "xs" | "sm" | "md";
  align?: "start" | "end";
  className?: string;
  header?: ReactNode;
  disabled?: boolean;
}

export function DropdownMenu({ items, trigger, label = "Actions", icon, variant = "secondary", size = "md", align = "end", className, header, disabled }: DropdownMenuProps) {
  const navigate = useNavigate();
  const id = useId();
  const visible = items.filter((i) => !i.hidden);
  return (
    <Popover
      role="menu"
      label={typeof label === "string" ? label : undefined}
      align={align}
      panelId={`menu${id.replace(/:/g, "")}`}
      className={clsx("min-w-48 py-1", className)}
      trigger={(p) =>
        trigger ? (
          trigger(p)
        ) : (
          <Button {...p} variant={variant} size={size} icon={icon} disabled={disabled} iconRight={<ChevronDown className="size-3.5 opacity-60" aria-hidden />}>
            {label}
          </Button>
        )
      }
    >
      {(close) => (
        <MenuList
          header={header}
          items={visible}
          onPick={(item) => {
            close();
            if (item.to) navigate(item.to);
            else item.onSelect?.();
          }}
        />
      )}
    </Popover>
  );
}

function MenuList({ items, onPick, header }: { items: MenuItem[]; onPick: (item: MenuAction) => void; header?: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
  }, []);
  const onKey = (e: KeyboardEvent) => {
    const nodes = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? []);
    const i = nodes.indexOf(document.activeElement as HTMLElement);
    let next: HTMLElement | undefined;
    if (e.key === "ArrowDown") next = nodes[(i + 1) % nodes.length];
    else if (e.key === "ArrowUp") next = nodes[(i - 1 + nodes.length) % nodes.length];
    else if (e.key === "Home") next = nodes[0];
    else if (e.key === "End") next = nodes[nodes.length - 1];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };
  return (
    <div ref={ref} onKeyDown={onKey}>
      {header}
      {items.map((item, idx) => {
        if (item.type === "separator") return <div key={idx} role="separator" className="my-1 h-px bg-line" />;
        if (item.type === "heading")
          return (
            <div key={idx} className="px-3 pt-2 pb-1 text-2xs font-semibold tracking-wide text-fg-subtle uppercase">
              {item.label}
            </div>
          );
        return (
          <button
            key={idx}
            type="button"
            role="menuitem"
            aria-disabled={item.disabled || undefined}
            tabIndex={-1}
            onClick={() => {
              if (!item.disabled) onPick(item);
            }}
            className={clsx(
              "flex w-full items-center gap-2 px-3 py-1.5 text-left text-sm outline-none",
              item.disabled
                ? "cursor-not-allowed text-fg-subtle"
                : item.danger
                  ? "text-red-600 hover:bg-red-50 focus:bg-red-50 dark:text-red-400 dark:hover:bg-red-500/10 dark:focus:bg-red-500/10"
                  : "text-fg hover:bg-surface-3 focus:bg-surface-3",
            )}
          >
            {item.checked !== undefined ? (
              <Check className={clsx("size-3.5 shrink-0", item.checked ? "text-accent-text" : "invisible")} aria-hidden />
            ) : item.icon ? (
              <span className="flex size-3.5 shrink-0 items-center justify-center text-fg-subtle [&_svg]:size-3.5">{item.icon}</span>
            ) : null}
            <span className="min-w-0 flex-1 truncate">{item.label}</span>
            {item.hint && <span className="shrink-0 text-xs text-fg-subtle">{item.hint}</span>}
          </button>
        );
      })}
    </div>
  );
}
