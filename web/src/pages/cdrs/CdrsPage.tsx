import { useMemo, useState } from "react";
import { Link } from "react-router";
import { FileDown, ScrollText, Upload } from "lucide-react";
import { ActionDock, Badge, Button, EmptyState, Page, PageHeader, Select } from "../../components";
import { useCan } from "../../lib/auth";
import { formatDateTime, getDisplayTimeZone } from "../../lib/format";
import { useTableState } from "../../lib/useTableState";
import { CdrDetail } from "./CdrDetail";
import { ExportDialog } from "./ExportDialog";
import { useCarrierOptions } from "./filters";
import { CDR_FILTERS, CdrTable, cdrColumns, countLabel, useCdrQuery } from "./list";
import { UploadDialog } from "./UploadDialog";
import { DISPOSITIONS, DISPOSITION_LABEL, RATING_LABEL, RATING_STATUSES, type Cdr } from "./types";

/** Billing / CDRs: every call attempt in a time window, rated, with filters, detail, export and upload. */
export default function CdrsPage() {
  const can = useCan();
  const t = useTableState({ defaultPageSize: 50, defaultSort: "startAt:desc", filters: CDR_FILTERS });
  const { list, filter, period, now } = useCdrQuery(t, { defaultRange: "24h" });
  const carriers = useCarrierOptions();
  const [open, setOpen] = useState<Cdr | null>(null);
  const [exporting, setExporting] = useState(false);
  const [uploading, setUploading] = useState(false);
  const columns = useMemo(() => cdrColumns({ money: true }), []);
  const count = countLabel(list.data);

  return (
    <Page
      fill
      header={
        <PageHeader
          title="CDRs"
          breadcrumb={["Billing", "CDRs"]}
          description="Every call attempt the switches reported, rated for the customer and the supplier. Click a row for its rating breakdown."
          meta={count ? <Badge tone="neutral">{count}</Badge> : undefined}
        />
      }
      dock={
        <ActionDock
          start={
            <span className="hidden text-xs text-fg-subtle sm:inline">
              {period.label}: {formatDateTime(period.from)} – {formatDateTime(period.to)} ({getDisplayTimeZone()}) ·{" "}
              <Link to="/billing/rating-errors" className="text-accent hover:underline">
                Rating errors
              </Link>
            </span>
          }
        >
          {can("cdrs:write") && (
            <Button icon={<Upload className="size-4" />} onClick={() => setUploading(true)}>
              Upload CDRs
            </Button>
          )}
          <Button variant="primary" icon={<FileDown className="size-4" />} onClick={() => setExporting(true)}>
            Export CSV
          </Button>
        </ActionDock>
      }
    >
      <CdrTable
        t={t}
        list={list}
        columns={columns}
        label="CDRs"
        defaultRange="24h"
        nowMs={now}
        onRowClick={setOpen}
        filters={
          <>
            <Select
              size="sm"
              aria-label="Disposition"
              value={t.filters.disposition}
              onChange={(e) => t.setFilter("disposition", e.target.value)}
              placeholder="Any disposition"
              options={DISPOSITIONS.map((d) => ({ value: d, label: DISPOSITION_LABEL[d] }))}
              wrapperClassName="w-36"
            />
            <Select
              size="sm"
              aria-label="Rating status"
              value={t.filters.ratingStatus}
              onChange={(e) => t.setFilter("ratingStatus", e.target.value)}
              placeholder="Any rating"
              options={RATING_STATUSES.map((s) => ({ value: s, label: RATING_LABEL[s] }))}
              wrapperClassName="w-32"
            />
          </>
        }
        initialHidden={["currency", "destination", "pdd", "callId"]}
        emptyState={
          <EmptyState
            icon={<ScrollText />}
            title="No CDRs in this time range"
            description="Switches send CDRs through the batch API (POST /api/cdrs/batch) or you can upload a CSV file. Try a longer time range."
            action={
              can("cdrs:write") && (
                <Button size="sm" icon={<Upload className="size-3.5" />} onClick={() => setUploading(true)}>
                  Upload CDRs
                </Button>
              )
            }
          />
        }
      />
      <CdrDetail cdr={open} onClose={() => setOpen(null)} />
      <ExportDialog open={exporting} onClose={() => setExporting(false)} filter={filter} carrierName={carriers.data?.find((c) => c.value === filter.carrierId)?.label} matching={count} />
      {can("cdrs:write") && <UploadDialog open={uploading} onClose={() => setUploading(false)} />}
    </Page>
  );
}
