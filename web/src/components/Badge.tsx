import type { ReactNode } from "react";
import { clsx } from "clsx";

export type BadgeTone = "neutral" | "success" | "warning" | "danger" | "info" | "accent";

const tones: Record<BadgeTone, string> = {
  neutral: "bg-zinc-100 text-zinc-700 ring-zinc-500/15 dark:bg-zinc-500/10 dark:text-zinc-300 dark:ring-zinc-400/20",
  success: "bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-400 dark:ring-emerald-400/20",
  warning: "bg-amber-50 text-amber-800 ring-amber-600/25 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/20",
  danger: "bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-500/10 dark:text-red-400 dark:ring-red-400/25",
  info: "bg-sky-50 text-sky-700 ring-sky-600/20 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/20",
  accent: "bg-accent-soft text-accent-text ring-accent/20",
};

const dots: Record<BadgeTone, string> = {
  neutral: "bg-zinc-400",
  success: "bg-emerald-500",
  warning: "bg-amber-500",
  danger: "bg-red-500",
  info: "bg-sky-500",
  accent: "bg-accent",
};

export interface BadgeProps {
  tone?: BadgeTone;
  dot?: boolean;
  mono?: boolean;
  title?: string;
  className?: string;
  children: ReactNode;
}

export function Badge({ tone = "neutral", dot, mono, title, className, children }: BadgeProps) {
  return (
    <span
      title={title}
      className={clsx(
        "inline-flex h-5 max-w-full shrink-0 items-center gap-1 truncate rounded px-1.5 text-2xs font-medium whitespace-nowrap ring-1 ring-inset",
        mono && "font-mono",
        tones[tone],
        className,
      )}
    >
      {dot && <span className={clsx("size-1.5 shrink-0 rounded-full", dots[tone])} aria-hidden />}
      {children}
    </span>
  );
}
