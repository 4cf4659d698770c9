import type { ComponentPropsWithRef } from "react";
import { clsx } from "clsx";
import { ChevronDown } from "lucide-react";
import { useField } from "./Field";
import { controlBase, controlState } from "./Input";

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface SelectProps extends Omit<ComponentPropsWithRef<"select">, "size"> {
  options?: SelectOption[];
  /** Adds a first option with value "" (e.g. "All roles"). */
  placeholder?: string;
  invalid?: boolean;
  size?: "sm" | "md";
  wrapperClassName?: string;
}

/** Native <select> (keyboard, screen readers and mobile pickers for free), styled. */
export function Select({ options, placeholder, invalid, size = "md", className, wrapperClassName, children, id, ...rest }: SelectProps) {
  const field = useField();
  const bad = invalid ?? field?.invalid ?? false;
  return (
    <div className={clsx("relative min-w-0", wrapperClassName)}>
      <select
        id={id ?? field?.id}
        aria-invalid={bad || undefined}
        aria-describedby={rest["aria-describedby"] ?? field?.describedBy}
        className={clsx(controlBase, controlState(bad), "w-full appearance-none truncate pr-7", size === "sm" ? "h-7 pl-2" : "h-8 pl-2.5", className)}
        {...rest}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options?.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
        {children}
      </select>
      <ChevronDown className="pointer-events-none absolute right-2 top-1/2 size-3.5 -translate-y-1/2 text-fg-subtle" aria-hidden />
    </div>
  );
}
