import { Page, PageHeader } from "../../components";

export default function TrunkGroupsPage() {
  return <Page header={<PageHeader title="TrunkGroupsPage" />}>Under construction</Page>;
}
