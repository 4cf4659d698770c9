import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { clsx } from "clsx";

type Side = "top" | "bottom" | "left" | "right";

interface TooltipProps {
  content: ReactNode;
  side?: Side;
  delay?: number;
  children: ReactNode;
  className?: string;
}

/** Hover/focus tooltip rendered in a portal so overflow never clips it. */
export function Tooltip({ content, side = "top", delay = 250, children, className }: TooltipProps) {
  const ref = useRef<HTMLSpanElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [pos, setPos] = useState<{ x: number; y: number } | null>(null);
  const id = useId();

  const show = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const el = ref.current?.firstElementChild ?? ref.current;
      if (!el) return;
      const r = el.getBoundingClientRect();
      const gap = 6;
      const p =
        side === "right"
          ? { x: r.right + gap, y: r.top + r.height / 2 }
          : side === "left"
            ? { x: r.left - gap, y: r.top + r.height / 2 }
            : side === "bottom"
              ? { x: r.left + r.width / 2, y: r.bottom + gap }
              : { x: r.left + r.width / 2, y: r.top - gap };
      setPos(p);
    }, delay);
  };
  const hide = () => {
    if (timer.current) clearTimeout(timer.current);
    setPos(null);
  };
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const transform =
    side === "right" ? "translate(0,-50%)" : side === "left" ? "translate(-100%,-50%)" : side === "bottom" ? "translate(-50%,0)" : "translate(-50%,-100%)";

  return (
    <span ref={ref} className={clsx("inline-flex", className)} onMouseEnter={show} onMouseLeave={hide} onFocus={show} onBlur={hide} onMouseDown={hide}>
      {children}
      {pos &&
        content &&
        createPortal(
          <span
            role="tooltip"
            id={id}
            style={{ left: pos.x, top: pos.y, transform }}
            className="pointer-events-none fixed z-[100] max-w-xs animate-fade-in rounded-md bg-zinc-900 px-2 py-1 text-xs font-medium text-white shadow-pop dark:bg-zinc-100 dark:text-zinc-900"
          >
            {content}
          </span>,
          document.body,
        )}
    </span>
  );
}
