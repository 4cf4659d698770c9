import { Construction } from "lucide-react";
import { Badge, Card, EmptyState, Page, PageHeader } from "../components";
import type { NavModule, NavPage } from "../nav";

/** Placeholder for pages of modules that are not built yet. */
export function ComingSoonPage({ module, page }: { module: NavModule; page: NavPage }) {
  const Icon = page.icon;
  return (
    <Page header={<PageHeader title={page.label} meta={<Badge tone="info">Coming soon</Badge>} />}>
      <Card>
        <EmptyState
          icon={<Icon />}
          title={`${page.label} is coming soon`}
          description={page.description ?? `${module.label} is on the roadmap.`}
          action={
            <span className="inline-flex items-center gap-1.5 text-xs text-fg-subtle">
              <Construction className="size-3.5" aria-hidden /> Part of the {module.label} module
            </span>
          }
        />
      </Card>
    </Page>
  );
}
