/**
 * Number normalization for CDRs: the called number loses the service's tech prefix, then
 * (both numbers) one leading "+" or "00" and every non-digit. What remains is E.164
 * digits, the form rates and routes are looked up by.
 */
export function normalizeNumber(raw: string, techPrefix = ""): string {
  let s = raw.trim();
  if (techPrefix && s.startsWith(techPrefix)) s = s.slice(techPrefix.length);
  if (s.startsWith("+")) s = s.slice(1);
  else if (s.startsWith("00")) s = s.slice(2);
  return s.replace(/\D+/g, "");
}

/** The service of an ingress interconnect whose tech prefix is the longest one the dialled number starts with. */
export function serviceByTechPrefix<S extends { techPrefix: string }>(services: readonly S[], dialled: string): S | null {
  let best: S | null = null;
  for (const s of services) if (dialled.startsWith(s.techPrefix) && (!best || s.techPrefix.length > best.techPrefix.length)) best = s;
  return best;
}
