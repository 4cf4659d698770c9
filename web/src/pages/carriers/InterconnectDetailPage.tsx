import { Page, PageHeader } from "../../components";

export default function InterconnectDetailPage() {
  return <Page header={<PageHeader title="InterconnectDetailPage" />}>Under construction</Page>;
}
