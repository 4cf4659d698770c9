import { useEffect } from "react";
import { Link } from "react-router";
import { clsx } from "clsx";
import { CircleAlert, CircleCheck, Info, TriangleAlert, X } from "lucide-react";
import { useToasts, type ToastItem } from "../stores/toast";

export { toast } from "../stores/toast";

const icons = {
  success: <CircleCheck className="size-4 text-emerald-600 dark:text-emerald-400" />,
  error: <CircleAlert className="size-4 text-red-600 dark:text-red-400" />,
  warning: <TriangleAlert className="size-4 text-amber-600 dark:text-amber-400" />,
  info: <Info className="size-4 text-sky-600 dark:text-sky-400" />,
};

function ToastView({ t }: { t: ToastItem }) {
  const dismiss = useToasts((s) => s.dismiss);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(t.id), t.duration);
    return () => clearTimeout(timer);
  }, [t.id, t.duration, dismiss]);
  return (
    <div
      role={t.tone === "error" ? "alert" : "status"}
      className="pointer-events-auto flex w-[360px] max-w-[calc(100vw-2rem)] animate-pop-in items-start gap-2.5 rounded-lg border border-line bg-surface p-3 shadow-pop"
    >
      <span className="mt-0.5 shrink-0">{icons[t.tone]}</span>
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium break-words text-fg">{t.title}</p>
        {t.description && <p className="mt-0.5 text-xs break-words text-fg-muted">{t.description}</p>}
        {t.action && (
          <Link to={t.action.to} onClick={() => dismiss(t.id)} className="mt-1.5 inline-block text-xs font-medium text-accent-text hover:underline">
            {t.action.label}
          </Link>
        )}
      </div>
      <button type="button" aria-label="Dismiss notification" onClick={() => dismiss(t.id)} className="-m-1 rounded p-1 text-fg-subtle hover:bg-surface-3 hover:text-fg">
        <X className="size-3.5" />
      </button>
    </div>
  );
}

/** Renders the toast stack (bottom-left, clear of the action dock and pagers on the right). */
export function Toaster({ className }: { className?: string }) {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div aria-live="polite" className={clsx("pointer-events-none fixed bottom-14 left-4 z-[70] flex flex-col items-start gap-2 sm:left-[72px]", className)}>
      {toasts.map((t) => (
        <ToastView key={t.id} t={t} />
      ))}
    </div>
  );
}
