/** Services DataTable (all, one carrier's, or one interconnect's). Owned by the interconnect/services work. */
export function ServicesTable(_props: { carrierId?: string; interconnectId?: string; onAdd?: () => void }) {
  return <div>Services table under construction</div>;
}
