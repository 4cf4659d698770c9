import { Page, PageHeader } from "../../components";

export default function ReleaseCausesPage() {
  return <Page header={<PageHeader title="ReleaseCausesPage" />}>Under construction</Page>;
}
