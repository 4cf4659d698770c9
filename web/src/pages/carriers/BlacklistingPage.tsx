import { Page, PageHeader } from "../../components";

export default function BlacklistingPage() {
  return <Page header={<PageHeader title="BlacklistingPage" />}>Under construction</Page>;
}
