/** Accent colour helpers: the tenant's accentColor drives `--accent`. */

export const DEFAULT_ACCENT = "#2563EB";
export const isHexColor = (v: string) => /^#[0-9a-fA-F]{6}$/.test(v);

function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * ch[0]! + 0.7152 * ch[1]! + 0.0722 * ch[2]!;
}

/** Text colour that reads on top of `hex` (white unless the accent is light). */
export function readableOn(hex: string): string {
  if (!isHexColor(hex)) return "#ffffff";
  const l = luminance(hex);
  return (1.05 / (l + 0.05)) >= 3 ? "#ffffff" : "#0b0f19";
}

export function applyAccent(hex: string | null | undefined, el: HTMLElement = document.documentElement): void {
  const color = hex && isHexColor(hex) ? hex : DEFAULT_ACCENT;
  el.style.setProperty("--accent", color);
  el.style.setProperty("--accent-fg", readableOn(color));
}
