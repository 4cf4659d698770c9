import { useEffect, useId, useRef, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { clsx } from "clsx";
import { X } from "lucide-react";

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons, right-aligned in the dialog footer. */
  footer?: ReactNode;
  /** Left side of the footer (e.g. a status note). */
  footerStart?: ReactNode;
  size?: "sm" | "md" | "lg" | "xl";
  /** "sheet" slides in from the right as a side panel. */
  variant?: "modal" | "sheet";
  /** Stops Esc / backdrop clicks from closing (e.g. while saving). */
  dismissible?: boolean;
  className?: string;
}

const widths = { sm: "max-w-sm", md: "max-w-lg", lg: "max-w-2xl", xl: "max-w-4xl" };
const sheetWidths = { sm: "w-[380px]", md: "w-[480px]", lg: "w-[640px]", xl: "w-[820px]" };

/**
 * Modal dialog: focus moves into it (the element marked data-autofocus, else the first
 * field, else the first button), Tab cycles inside, Esc closes, focus returns on close.
 */
export function Dialog({ open, onClose, title, description, children, footer, footerStart, size = "md", variant = "modal", dismissible = true, className }: DialogProps) {
  const panel = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const dismissibleRef = useRef(dismissible);
  dismissibleRef.current = dismissible;

  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement as HTMLElement | null;
    const el = panel.current;
    const t = requestAnimationFrame(() => {
      if (!el) return;
      const target =
        el.querySelector<HTMLElement>("[data-autofocus]") ??
        el.querySelector<HTMLElement>("[data-dialog-body] input:not([disabled]):not([type=hidden]), [data-dialog-body] select:not([disabled]), [data-dialog-body] textarea:not([disabled])") ??
        el.querySelector<HTMLElement>("[data-dialog-footer] button:not([disabled])") ??
        el;
      target.focus();
    });
    const onKey = (e: KeyboardEvent) => {
      if (!el) return;
      // Only the top-most dialog reacts.
      const dialogs = document.querySelectorAll("[data-dialog-panel]");
      if (dialogs[dialogs.length - 1] !== el) return;
      if (e.key === "Escape") {
        e.stopPropagation();
        if (dismissibleRef.current) onCloseRef.current();
      } else if (e.key === "Tab") {
        const items = Array.from(el.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((n) => n.offsetParent !== null || n === document.activeElement);
        if (items.length === 0) {
          e.preventDefault();
          return;
        }
        const first = items[0]!;
        const last = items[items.length - 1]!;
        if (e.shiftKey && (document.activeElement === first || !el.contains(document.activeElement))) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && (document.activeElement === last || !el.contains(document.activeElement))) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      cancelAnimationFrame(t);
      document.removeEventListener("keydown", onKey);
      if (previous && document.contains(previous)) previous.focus();
    };
  }, [open]);

  if (!open) return null;
  const sheet = variant === "sheet";
  return createPortal(
    <div className={clsx("fixed inset-0 z-50 flex", sheet ? "justify-end" : "items-start justify-center overflow-y-auto p-4 sm:pt-[10vh]")}>
      <div
        className="fixed inset-0 animate-fade-in bg-zinc-950/40 backdrop-blur-[1px] dark:bg-black/60"
        aria-hidden
        onMouseDown={() => {
          if (dismissible) onClose();
        }}
      />
      <div
        ref={panel}
        data-dialog-panel
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descId : undefined}
        tabIndex={-1}
        className={clsx(
          "relative flex flex-col border-line bg-surface shadow-pop outline-none",
          sheet ? `h-full max-w-full animate-slide-in-right border-l ${sheetWidths[size]}` : `w-full animate-pop-in rounded-xl border ${widths[size]} max-h-[calc(100vh-2rem)] sm:max-h-[80vh]`,
          className,
        )}
      >
        <div className="flex shrink-0 items-start justify-between gap-4 border-b border-line px-5 py-3.5">
          <div className="min-w-0">
            <h2 id={titleId} className="truncate text-base font-semibold text-fg">
              {title}
            </h2>
            {description && (
              <p id={descId} className="mt-0.5 text-sm text-fg-muted">
                {description}
              </p>
            )}
          </div>
          <button
            type="button"
            onClick={onClose}
            disabled={!dismissible}
            aria-label="Close"
            className="-mr-1.5 inline-flex size-7 shrink-0 items-center justify-center rounded-md text-fg-subtle hover:bg-surface-3 hover:text-fg disabled:opacity-40"
          >
            <X className="size-4" />
          </button>
        </div>
        <div data-dialog-body className="min-h-0 flex-1 overflow-y-auto px-5 py-4">
          {children}
        </div>
        {(footer || footerStart) && (
          <div data-dialog-footer className="flex shrink-0 items-center justify-between gap-3 border-t border-line bg-surface-2 px-5 py-3 sm:rounded-b-xl">
            <div className="min-w-0 text-xs text-fg-muted">{footerStart}</div>
            <div className="flex shrink-0 items-center gap-2">{footer}</div>
          </div>
        )}
      </div>
    </div>,
    document.body,
  );
}
