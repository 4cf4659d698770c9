import { useEffect, useRef, type ComponentPropsWithoutRef, type ReactNode } from "react";
import { clsx } from "clsx";
import { useField } from "./Field";

export interface CheckboxProps extends Omit<ComponentPropsWithoutRef<"input">, "type"> {
  label?: ReactNode;
  description?: ReactNode;
  indeterminate?: boolean;
}

export function Checkbox({ label, description, indeterminate = false, className, id, ...rest }: CheckboxProps) {
  const ref = useRef<HTMLInputElement>(null);
  const field = useField();
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  const box = (
    <input
      ref={ref}
      type="checkbox"
      id={id ?? (label ? undefined : field?.id)}
      className={clsx("size-3.5 shrink-0 cursor-pointer rounded border-line align-middle disabled:cursor-not-allowed disabled:opacity-50", !label && className)}
      {...rest}
    />
  );
  if (!label) return box;
  return (
    <label className={clsx("flex cursor-pointer items-start gap-2 text-sm", rest.disabled && "cursor-not-allowed opacity-60", className)}>
      <span className="flex h-5 items-center">{box}</span>
      <span className="min-w-0">
        <span className="block text-fg">{label}</span>
        {description && <span className="block text-xs text-fg-subtle">{description}</span>}
      </span>
    </label>
  );
}
