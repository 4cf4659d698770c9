import type { ReactNode } from "react";
import { clsx } from "clsx";
import { ChevronLeft, ChevronRight, ChevronsLeft, ChevronsRight } from "lucide-react";
import { formatNumber } from "../lib/format";
import { PAGE_SIZES } from "../lib/useTableState";

export interface DataTableFooterProps {
  page: number;
  pageSize: number;
  total: number;
  /** The server stopped counting at `total`: shown as "100,000+". */
  totalCapped?: boolean;
  onPageChange: (page: number) => void;
  onPageSizeChange: (size: number) => void;
  selectedCount?: number;
  onClearSelection?: () => void;
  pageSizeOptions?: readonly number[];
  loading?: boolean;
  className?: string;
}

function PagerButton({ label, onClick, disabled, children }: { label: string; onClick: () => void; disabled: boolean; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      disabled={disabled}
      className="inline-flex size-7 items-center justify-center rounded-md border border-line bg-surface text-fg-muted shadow-xs transition-colors hover:bg-surface-3 hover:text-fg disabled:cursor-not-allowed disabled:opacity-40 disabled:hover:bg-surface"
    >
      {children}
    </button>
  );
}

/** "Showing 1–25 of 1,234", rows per page, first/prev/next/last, "Page X of Y", "N selected". */
export function DataTableFooter({ page, pageSize, total, totalCapped, onPageChange, onPageSizeChange, selectedCount = 0, onClearSelection, pageSizeOptions = PAGE_SIZES, loading, className }: DataTableFooterProps) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pageCount);
  const from = total === 0 ? 0 : (current - 1) * pageSize + 1;
  const to = Math.min(total, current * pageSize);
  return (
    <div className={clsx("flex shrink-0 flex-wrap items-center justify-between gap-x-4 gap-y-2 border-t border-line bg-surface px-4 py-2 text-xs text-fg-muted", className)}>
      <div className="flex min-w-0 items-center gap-3">
        <span className="tabular" aria-live="polite">
          {loading ? (
            "Loading…"
          ) : total === 0 ? (
            "No results"
          ) : (
            <>
              Showing <span className="font-medium text-fg">{formatNumber(from)}</span>–<span className="font-medium text-fg">{formatNumber(to)}</span> of{" "}
              <span className="font-medium text-fg">
                {formatNumber(total)}
                {totalCapped && "+"}
              </span>
            </>
          )}
        </span>
        {selectedCount > 0 && (
          <span className="flex items-center gap-1.5 rounded-md bg-accent-soft px-2 py-0.5 font-medium text-accent-text">
            {formatNumber(selectedCount)} selected
            {onClearSelection && (
              <button type="button" onClick={onClearSelection} className="underline-offset-2 hover:underline">
                Clear
              </button>
            )}
          </span>
        )}
      </div>
      <div className="flex items-center gap-3">
        <label className="flex items-center gap-1.5">
          <span className="hidden sm:inline">Rows per page</span>
          <select
            aria-label="Rows per page"
            value={pageSize}
            onChange={(e) => onPageSizeChange(Number(e.target.value))}
            className="h-7 rounded-md border border-line bg-surface pr-6 pl-2 text-xs text-fg shadow-xs hover:border-line-strong focus:border-accent focus:ring-3 focus:ring-accent/20 focus:outline-none"
          >
            {pageSizeOptions.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <span className="tabular whitespace-nowrap">
          Page <span className="font-medium text-fg">{formatNumber(current)}</span> of{" "}
          <span className="font-medium text-fg">
            {formatNumber(pageCount)}
            {totalCapped && "+"}
          </span>
        </span>
        <div className="flex items-center gap-1">
          <PagerButton label="First page" onClick={() => onPageChange(1)} disabled={current <= 1}>
            <ChevronsLeft className="size-3.5" />
          </PagerButton>
          <PagerButton label="Previous page" onClick={() => onPageChange(current - 1)} disabled={current <= 1}>
            <ChevronLeft className="size-3.5" />
          </PagerButton>
          <PagerButton label="Next page" onClick={() => onPageChange(current + 1)} disabled={current >= pageCount}>
            <ChevronRight className="size-3.5" />
          </PagerButton>
          <PagerButton label="Last page" onClick={() => onPageChange(pageCount)} disabled={current >= pageCount}>
            <ChevronsRight className="size-3.5" />
          </PagerButton>
        </div>
      </div>
    </div>
  );
}
