import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { ActionDock, Badge, Button, DropdownMenu, Page, PageHeader } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatNumber } from "../../lib/format";
import type { Page as ListPage } from "../../lib/types";
import type { Service } from "./types";
import { ServiceDialog } from "./interconnect/ServiceDialog";
import { ServicesTable } from "./ServicesTable";

/** All services across carriers (Digitalk's "Services" main view). */
export default function ServicesPage() {
  const can = useCan();
  const canWrite = can("carriers:write");
  const [adding, setAdding] = useState(false);
  const total = useQuery({ queryKey: ["services", "total"], queryFn: () => api.get<ListPage<Service>>("/services", { pageSize: 1 }) });

  return (
    <Page
      fill
      header={
        <PageHeader
          title="Services"
          description="Each service links an ingress interconnect's calls to a customer rating plan and a routing plan."
          meta={total.data ? <Badge tone="neutral">{formatNumber(total.data.total)}</Badge> : undefined}
          actions={
            <DropdownMenu
              items={[
                { label: "Add Service…", icon: <Plus />, hidden: !canWrite, onSelect: () => setAdding(true) },
                { type: "separator", hidden: !canWrite },
                { label: "Carriers", to: "/carriers" },
                { label: "Blacklisting", to: "/carriers/blacklisting" },
                { label: "View service changes in audit log", to: "/system/audit?entityType=service", hidden: !can("audit:read") },
                { label: "Open recycle bin", to: "/system/recycle-bin?entityType=service", hidden: !can("recycle_bin:read") },
              ]}
            />
          }
        />
      }
      dock={
        canWrite ? (
          <ActionDock start={<span className="hidden text-xs text-fg-subtle sm:inline">Click a service to edit it. Services live under ingress (customer) interconnects.</span>}>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setAdding(true)}>
              Add Service
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <ServicesTable urlState carrierFilter />
      <ServiceDialog open={adding} onClose={() => setAdding(false)} />
    </Page>
  );
}
