import { clsx } from "clsx";

/** Tenant logo (data URL) or a generated initial badge in the accent colour. */
export function BrandMark({ name, logoDataUrl, size = 28, className }: { name: string; logoDataUrl?: string | null; size?: number; className?: string }) {
  if (logoDataUrl) {
    return <img src={logoDataUrl} alt="" width={size} height={size} style={{ width: size, height: size }} className={clsx("shrink-0 rounded-md object-contain", className)} />;
  }
  const letters = name.trim().replace(/[^\p{L}\p{N}]/gu, "").slice(0, 1).toUpperCase() || "D";
  return (
    <span
      aria-hidden
      style={{ width: size, height: size, fontSize: Math.round(size * 0.5) }}
      className={clsx("inline-flex shrink-0 items-center justify-center rounded-md bg-accent font-semibold text-accent-fg shadow-xs ring-1 ring-black/5 ring-inset", className)}
    >
      {letters}
    </span>
  );
}
