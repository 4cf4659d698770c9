import type { Direction, EgressRouting, EgressTranslation, IngressTranslation, IngressValidation, Interconnect, Media, Monitoring, SignallingAddress, Signalling } from "../types";

/** Everything the interconnect tabs edit, as one draft (the API shape of each tab). */
export interface Draft {
  name: string;
  status: Interconnect["status"];
  capacity: number | null;
  currency: string;
  addresses: SignallingAddress[];
  supplierRatingPlanId: string | null;
  ingressValidation: IngressValidation | null;
  ingressTranslation: IngressTranslation | null;
  egressRouting: EgressRouting | null;
  egressTranslation: EgressTranslation | null;
  media: Media;
  signalling: Signalling;
  monitoring: Monitoring | null;
}

export const toDraft = (i: Interconnect): Draft => ({
  name: i.name,
  status: i.status,
  capacity: i.capacity,
  currency: i.currency,
  addresses: i.addresses.map((a) => ({ ...a })),
  supplierRatingPlanId: i.supplierRatingPlanId,
  ingressValidation: i.ingressValidation,
  ingressTranslation: i.ingressTranslation,
  egressRouting: i.egressRouting,
  egressTranslation: i.egressTranslation,
  media: i.media,
  signalling: i.signalling,
  monitoring: i.monitoring,
});

export type TabId = "details" | "validation" | "ingress-translation" | "routing" | "egress-translation" | "media" | "signalling" | "monitoring" | "services";

interface TabDef {
  id: TabId;
  label: string;
  /** Draft keys this tab edits (sent whole when changed). */
  fields: (keyof Draft)[];
}

const DETAILS: (keyof Draft)[] = ["name", "status", "capacity", "currency", "addresses", "supplierRatingPlanId"];

/** Digitalk's tabs: ingress (customer) 5 + Services, egress (supplier) 6. */
export const TABS: Record<Direction, TabDef[]> = {
  ingress: [
    { id: "details", label: "Details", fields: DETAILS },
    { id: "validation", label: "Ingress Validation", fields: ["ingressValidation"] },
    { id: "ingress-translation", label: "Ingress Translation", fields: ["ingressTranslation"] },
    { id: "media", label: "Media", fields: ["media"] },
    { id: "signalling", label: "Signalling", fields: ["signalling"] },
    { id: "services", label: "Services", fields: [] },
  ],
  egress: [
    { id: "details", label: "Details", fields: DETAILS },
    { id: "routing", label: "Egress Routing", fields: ["egressRouting"] },
    { id: "egress-translation", label: "Egress Translations", fields: ["egressTranslation"] },
    { id: "media", label: "Media", fields: ["media"] },
    { id: "signalling", label: "Signalling", fields: ["signalling"] },
    { id: "monitoring", label: "Monitoring", fields: ["monitoring"] },
  ],
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function changedFields(draft: Draft, original: Draft): (keyof Draft)[] {
  return (Object.keys(draft) as (keyof Draft)[]).filter((k) => !same(draft[k], original[k]));
}

/** PATCH body: the changed tab objects whole, plus the Details fields every time. */
export function patchBody(draft: Draft, changed: (keyof Draft)[]): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: draft.name.trim(),
    status: draft.status,
    capacity: draft.capacity,
    currency: draft.currency,
    addresses: draft.addresses.map((a) => ({ address: a.address.trim(), port: a.port })),
  };
  for (const k of changed) if (!(k in body)) body[k] = draft[k];
  // Supplier rating plans exist only on egress interconnects.
  if (body.supplierRatingPlanId === null && !changed.includes("supplierRatingPlanId")) delete body.supplierRatingPlanId;
  return body;
}

/** The tab holding a field path such as `media.codecs` or `addresses.0.address`. */
export function tabOfPath(direction: Direction, path: string): TabId | null {
  const root = path.split(".")[0] as keyof Draft;
  return TABS[direction].find((t) => t.fields.includes(root))?.id ?? null;
}

export const TAB_LABEL = (direction: Direction, id: TabId) => TABS[direction].find((t) => t.id === id)?.label ?? id;
