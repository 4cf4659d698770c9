import { Page, PageHeader } from "../../components";

export default function ServicesPage() {
  return <Page header={<PageHeader title="ServicesPage" />}>Under construction</Page>;
}
