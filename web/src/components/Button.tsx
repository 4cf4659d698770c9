import type { ComponentPropsWithRef, ReactNode } from "react";
import { clsx } from "clsx";
import { Loader2 } from "lucide-react";
import { Tooltip } from "./Tooltip";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger";
export type ButtonSize = "xs" | "sm" | "md";

const variants: Record<ButtonVariant, string> = {
  primary: "bg-accent text-accent-fg shadow-xs hover:bg-accent-hover disabled:hover:bg-accent",
  secondary: "border border-line bg-surface text-fg shadow-xs hover:bg-surface-3 hover:border-line-strong disabled:hover:bg-surface",
  ghost: "text-fg-muted hover:bg-surface-3 hover:text-fg disabled:hover:bg-transparent",
  danger: "bg-red-600 text-white shadow-xs hover:bg-red-700 dark:bg-red-600/90 dark:hover:bg-red-600 disabled:hover:bg-red-600",
};

const sizes: Record<ButtonSize, string> = {
  xs: "h-6 gap-1 rounded px-2 text-xs",
  sm: "h-7 gap-1.5 rounded-md px-2.5 text-sm",
  md: "h-8 gap-1.5 rounded-md px-3 text-sm",
};

const iconSizes: Record<ButtonSize, string> = { xs: "size-3.5", sm: "size-3.5", md: "size-4" };

export interface ButtonProps extends ComponentPropsWithRef<"button"> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  loading?: boolean;
  /** Leading icon (a lucide icon element or component output). */
  icon?: ReactNode;
  iconRight?: ReactNode;
}

export function Button({ variant = "secondary", size = "md", loading = false, icon, iconRight, className, children, disabled, type = "button", ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      className={clsx(
        "inline-flex shrink-0 select-none items-center justify-center whitespace-nowrap font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50 [&_svg]:shrink-0",
        variants[variant],
        sizes[size],
        className,
      )}
      {...rest}
    >
      {loading ? <Loader2 className={clsx(iconSizes[size], "animate-spin")} aria-hidden /> : icon}
      {children}
      {iconRight}
    </button>
  );
}

export interface IconButtonProps extends Omit<ButtonProps, "children" | "icon" | "iconRight"> {
  /** Accessible name; also shown as the tooltip unless `tooltip` is false. */
  label: string;
  icon: ReactNode;
  tooltip?: boolean;
  tooltipSide?: "top" | "bottom" | "left" | "right";
}

/** Square icon-only button with an aria-label and a tooltip. */
export function IconButton({ label, icon, tooltip = true, tooltipSide = "bottom", variant = "ghost", size = "md", className, loading, ...rest }: IconButtonProps) {
  const btn = (
    <button
      type="button"
      aria-label={label}
      disabled={rest.disabled || loading}
      className={clsx(
        "inline-flex shrink-0 items-center justify-center transition-colors disabled:cursor-not-allowed disabled:opacity-50",
        variants[variant],
        size === "xs" ? "size-6 rounded" : size === "sm" ? "size-7 rounded-md" : "size-8 rounded-md",
        variant !== "secondary" && "border border-transparent",
        className,
      )}
      {...rest}
    >
      {loading ? <Loader2 className={clsx(iconSizes[size], "animate-spin")} aria-hidden /> : icon}
    </button>
  );
  return tooltip ? (
    <Tooltip content={label} side={tooltipSide}>
      {btn}
    </Tooltip>
  ) : (
    btn
  );
}
