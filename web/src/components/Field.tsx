import { createContext, useContext, useId, type ReactNode } from "react";
import { clsx } from "clsx";

interface FieldContextValue {
  id: string;
  describedBy?: string;
  invalid: boolean;
}

const FieldContext = createContext<FieldContextValue | null>(null);
/** Lets Input/Select/Textarea pick up the id, aria-invalid and aria-describedby of their Field. */
export const useField = () => useContext(FieldContext);

interface FieldProps {
  label: ReactNode;
  /** One message or the API's list of messages for this field. */
  error?: string | string[] | null;
  hint?: ReactNode;
  required?: boolean;
  id?: string;
  className?: string;
  /** Right side of the label row (e.g. a "Generate" link). */
  aside?: ReactNode;
  children: ReactNode;
}

/** Label + control + hint/error text, wired together for screen readers. */
export function Field({ label, error, hint, required, id, className, aside, children }: FieldProps) {
  const auto = useId();
  const fieldId = id ?? `f${auto.replace(/:/g, "")}`;
  const messages = error ? (Array.isArray(error) ? error : [error]) : [];
  const invalid = messages.length > 0;
  const hintId = hint ? `${fieldId}-hint` : undefined;
  const errId = invalid ? `${fieldId}-err` : undefined;
  const describedBy = [errId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <FieldContext.Provider value={{ id: fieldId, describedBy, invalid }}>
      <div className={clsx("flex min-w-0 flex-col gap-1.5", className)}>
        <div className="flex items-center justify-between gap-2">
          <span className="flex min-w-0 items-baseline gap-0.5">
            <label htmlFor={fieldId} className="text-xs font-medium text-fg">
              {label}
            </label>
            {required && (
              <span className="text-xs text-red-600 dark:text-red-400" aria-hidden>
                *
              </span>
            )}
          </span>
          {aside}
        </div>
        {children}
        {invalid ? (
          <p id={errId} className="text-xs text-red-600 dark:text-red-400">
            {messages.join("; ")}
          </p>
        ) : hint ? (
          <p id={hintId} className="text-xs text-fg-subtle">
            {hint}
          </p>
        ) : null}
      </div>
    </FieldContext.Provider>
  );
}
