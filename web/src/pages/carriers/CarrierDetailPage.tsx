import { Page, PageHeader } from "../../components";

export default function CarrierDetailPage() {
  return <Page header={<PageHeader title="CarrierDetailPage" />}>Under construction</Page>;
}
