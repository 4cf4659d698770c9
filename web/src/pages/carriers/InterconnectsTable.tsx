/** Interconnects DataTable (all, or one carrier's). Owned by the Carriers page work. */
export function InterconnectsTable(_props: { carrierId?: string; direction?: "ingress" | "egress"; onAdd?: () => void }) {
  return <div>Interconnects table under construction</div>;
}
