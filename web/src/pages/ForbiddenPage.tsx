import { Card, ErrorState, Page, PageHeader } from "../components";
import { ApiError } from "../lib/api";
import type { NavPage } from "../nav";

/** Shown when a page needs a permission the user's role lacks (the API refuses it too). */
export function ForbiddenPage({ page }: { page: NavPage }) {
  return (
    <Page header={<PageHeader title={page.label} />}>
      <Card>
        <ErrorState
          error={new ApiError(403, "forbidden", `Your role does not include the ${page.permission ?? "required"} permission. Ask an administrator if you need access.`)}
          title="You don't have access to this page"
        />
      </Card>
    </Page>
  );
}
