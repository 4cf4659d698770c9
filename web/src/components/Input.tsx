import type { ComponentPropsWithRef, ReactNode } from "react";
import { clsx } from "clsx";
import { useField } from "./Field";

/** True when a class list sets its own width (so the default w-full must not compete). */
export const hasWidth = (className?: string) => !!className && /(^|\s)(\w+:)?w-/.test(className);

export const controlBase =
  "min-w-0 rounded-md border bg-surface text-sm text-fg shadow-xs transition-[border-color,box-shadow] placeholder:text-fg-subtle disabled:cursor-not-allowed disabled:bg-surface-2 disabled:text-fg-muted";
export const controlState = (invalid: boolean) =>
  invalid
    ? "border-red-500/80 focus:border-red-500 focus:ring-3 focus:ring-red-500/20"
    : "border-line hover:border-line-strong focus:border-accent focus:ring-3 focus:ring-accent/20";

export interface InputProps extends Omit<ComponentPropsWithRef<"input">, "size"> {
  invalid?: boolean;
  /** Leading icon inside the field. */
  icon?: ReactNode;
  /** Trailing adornment (unit, button). */
  trailing?: ReactNode;
  size?: "sm" | "md";
}

export function Input({ invalid, icon, trailing, className, size = "md", id, ...rest }: InputProps) {
  const field = useField();
  const bad = invalid ?? field?.invalid ?? false;
  const input = (
    <input
      id={id ?? field?.id}
      aria-invalid={bad || undefined}
      aria-describedby={rest["aria-describedby"] ?? field?.describedBy}
      className={clsx(
        controlBase,
        controlState(bad),
        (icon !== undefined || trailing !== undefined || !hasWidth(className)) && "w-full",
        size === "sm" ? "h-7 px-2" : "h-8 px-2.5",
        icon && (size === "sm" ? "pl-7" : "pl-8"),
        trailing && "pr-8",
        icon === undefined && trailing === undefined && className,
      )}
      {...rest}
    />
  );
  // The wrapper depends on whether an adornment slot is given, not on its content: an
  // adornment appearing later (a currency set once a carrier is picked) must not remount
  // the input, which would drop its focus and what is being typed.
  if (icon === undefined && trailing === undefined) return input;
  return (
    <div className={clsx("relative min-w-0", className)}>
      {icon && <span className="pointer-events-none absolute inset-y-0 left-0 flex w-8 items-center justify-center text-fg-subtle [&_svg]:size-3.5">{icon}</span>}
      {input}
      {trailing && <span className="absolute inset-y-0 right-0 flex items-center pr-2 text-xs text-fg-subtle">{trailing}</span>}
    </div>
  );
}

export interface TextareaProps extends ComponentPropsWithRef<"textarea"> {
  invalid?: boolean;
}

export function Textarea({ invalid, className, id, ...rest }: TextareaProps) {
  const field = useField();
  const bad = invalid ?? field?.invalid ?? false;
  return (
    <textarea
      id={id ?? field?.id}
      aria-invalid={bad || undefined}
      aria-describedby={rest["aria-describedby"] ?? field?.describedBy}
      className={clsx(controlBase, controlState(bad), !hasWidth(className) && "w-full", "min-h-20 px-2.5 py-1.5", className)}
      {...rest}
    />
  );
}
