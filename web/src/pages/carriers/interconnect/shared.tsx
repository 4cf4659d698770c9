import type { ReactNode } from "react";
import { clsx } from "clsx";
import { Card, CardBody, CardHeader } from "../../../components";
import type { Carrier, Interconnect } from "../types";
import type { Draft } from "./draft";

export interface TabProps {
  ic: Interconnect;
  carrier: Carrier | undefined;
  draft: Draft;
  set: (patch: Partial<Draft>) => void;
  /** Server (or local) messages for a field path such as `media.ptimeMs`. */
  err: (path: string) => string[] | undefined;
  disabled: boolean;
}

/** Two columns of cards from 1280 px; one below. */
export function TabGrid({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={clsx("grid items-start gap-4 xl:grid-cols-2", className)}>{children}</div>;
}

export function Section({ title, description, actions, children, className, bodyClassName }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; bodyClassName?: string }) {
  return (
    <Card className={className}>
      <CardHeader title={title} description={description} actions={actions} />
      <CardBody className={clsx(bodyClassName ?? "grid gap-4 sm:grid-cols-2")}>{children}</CardBody>
    </Card>
  );
}

/** A switch-like row: label and description on the left, checkbox on the right. */
export function ToggleRow({ label, description, checked, onChange, disabled, className }: { label: ReactNode; description?: ReactNode; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean; className?: string }) {
  return (
    <label className={clsx("flex cursor-pointer items-start justify-between gap-3 rounded-md border border-line px-3 py-2", disabled && "cursor-not-allowed opacity-70", className)}>
      <span className="min-w-0">
        <span className="block text-sm font-medium text-fg">{label}</span>
        {description && <span className="block text-xs text-fg-muted">{description}</span>}
      </span>
      <span className="relative mt-0.5 inline-flex shrink-0 items-center">
        <input type="checkbox" role="switch" className="peer sr-only" checked={checked} onChange={(e) => onChange(e.target.checked)} disabled={disabled} />
        <span
          aria-hidden
          className="h-4 w-7 rounded-full bg-line-strong transition-colors peer-checked:bg-accent peer-focus-visible:ring-2 peer-focus-visible:ring-accent/50 after:absolute after:top-0.5 after:left-0.5 after:size-3 after:rounded-full after:bg-white after:shadow-xs after:transition-transform peer-checked:after:translate-x-3"
        />
      </span>
    </label>
  );
}

export const secondsHint = (s: number | null, none: string) => {
  if (s === null) return none;
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h ? `${h} h` : "", m ? `${m} min` : "", rest ? `${rest} s` : ""].filter(Boolean).join(" ");
};
