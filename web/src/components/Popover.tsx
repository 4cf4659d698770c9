import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { createPortal } from "react-dom";
import { clsx } from "clsx";

export interface PopoverTriggerProps {
  ref: RefObject<HTMLButtonElement | null>;
  onClick: () => void;
  "aria-expanded": boolean;
  "aria-haspopup": "menu" | "dialog" | "listbox";
  "aria-controls"?: string;
}

interface PopoverProps {
  trigger: (props: PopoverTriggerProps) => ReactNode;
  children: (close: () => void) => ReactNode;
  align?: "start" | "end";
  /** Width class of the panel, e.g. "w-64". */
  className?: string;
  role?: "menu" | "dialog";
  label?: string;
  onOpenChange?: (open: boolean) => void;
  panelId?: string;
}

/**
 * A floating panel anchored to its trigger, rendered in a portal (so table overflow
 * never clips it); closes on outside click, Esc, scroll and resize.
 */
export function Popover({ trigger, children, align = "start", className, role = "dialog", label, onOpenChange, panelId }: PopoverProps) {
  const [open, setOpenState] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ top?: number; bottom?: number; left?: number; right?: number }>({});

  const setOpen = useCallback(
    (v: boolean) => {
      setOpenState(v);
      onOpenChange?.(v);
    },
    [onOpenChange],
  );
  const close = useCallback(() => setOpen(false), [setOpen]);

  useLayoutEffect(() => {
    if (!open || !triggerRef.current) return;
    const r = triggerRef.current.getBoundingClientRect();
    const h = panelRef.current?.offsetHeight ?? 0;
    const below = window.innerHeight - r.bottom;
    const vertical = below < h + 12 && r.top > below ? { bottom: window.innerHeight - r.top + 4 } : { top: r.bottom + 4 };
    const horizontal = align === "end" ? { right: Math.max(8, window.innerWidth - r.right) } : { left: Math.max(8, r.left) };
    setPos({ ...vertical, ...horizontal });
  }, [open, align]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (panelRef.current?.contains(t) || triggerRef.current?.contains(t)) return;
      close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        close();
        triggerRef.current?.focus();
      }
    };
    const onScroll = (e: Event) => {
      if (panelRef.current && e.target instanceof Node && panelRef.current.contains(e.target)) return;
      close();
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey, true);
    window.addEventListener("resize", close);
    window.addEventListener("scroll", onScroll, true);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey, true);
      window.removeEventListener("resize", close);
      window.removeEventListener("scroll", onScroll, true);
    };
  }, [open, close]);

  return (
    <>
      {trigger({
        ref: triggerRef,
        onClick: () => setOpen(!open),
        "aria-expanded": open,
        "aria-haspopup": role === "menu" ? "menu" : "dialog",
        "aria-controls": open ? panelId : undefined,
      })}
      {open &&
        createPortal(
          <div
            ref={panelRef}
            id={panelId}
            role={role}
            aria-label={label}
            style={pos}
            className={clsx("fixed z-[60] animate-pop-in overflow-hidden rounded-lg border border-line bg-surface shadow-pop", className)}
          >
            {children(close)}
          </div>,
          document.body,
        )}
    </>
  );
}
