import { Page, PageHeader } from "../../components";

export default function CarriersPage() {
  return <Page header={<PageHeader title="CarriersPage" />}>Under construction</Page>;
}
