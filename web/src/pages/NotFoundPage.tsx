import { Link } from "react-router";
import { MapPinOff } from "lucide-react";
import { Card, EmptyState, Page, PageHeader } from "../components";

export function NotFoundPage() {
  return (
    <Page header={<PageHeader title="Page not found" breadcrumb={["Not found"]} />}>
      <Card>
        <EmptyState
          icon={<MapPinOff />}
          title="There is no page at this address"
          description="The link may be old, or the page was moved."
          action={
            <Link to="/" className="text-sm font-medium text-accent-text hover:underline">
              Back to the dashboard
            </Link>
          }
        />
      </Card>
    </Page>
  );
}
