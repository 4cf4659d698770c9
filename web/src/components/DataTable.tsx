import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type RowData, type RowSelectionState, type VisibilityState } from "@tanstack/react-table";
import { clsx } from "clsx";
import { ArrowDown, ArrowUp, ChevronsUpDown, Columns3, SearchIcon, SearchX, X } from "lucide-react";
import { Checkbox } from "./Checkbox";
import { Input } from "./Input";
import { Button } from "./Button";
import { Popover } from "./Popover";
import { Skeleton } from "./Skeleton";
import { EmptyState } from "./EmptyState";
import { ErrorState } from "./ErrorState";
import { RefreshButton } from "./RefreshButton";
import { DataTableFooter } from "./DataTableFooter";

declare module "@tanstack/react-table" {
  // Declaration merging must repeat the library's type parameters, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Classes for body cells of this column. */
    className?: string;
    headerClassName?: string;
    align?: "left" | "right" | "center";
    /** Name in the column visibility menu (defaults to the header text). */
    label?: string;
    /** Skeleton width while loading, e.g. "w-24". */
    skeleton?: string;
  }
}

export interface DataTableSearch {
  value: string;
  /** Called 300 ms after the user stops typing. */
  onChange: (value: string) => void;
  placeholder?: string;
  /** Focus the search box when the table mounts (default true). */
  autoFocus?: boolean;
}

export interface DataTableProps<T> {
  columns: ColumnDef<T>[];
  rows: T[] | undefined;
  total: number;
  /** The server counted only up to `total` (the footer says "100,000+"). */
  totalCapped?: boolean;
  getRowId: (row: T) => string;

  page: number;
  pageSize: number;
  onPageChange: (page: number) => void;
  onPageSizeChange: (size: number) => void;

  /** Server sort, `field:asc` or `field:desc`; column ids are the server's field names. */
  sort?: string;
  onSortChange?: (sort: string | undefined) => void;

  search?: DataTableSearch;
  /** Toolbar slot for filter selects. */
  filters?: ReactNode;
  /** Toolbar slot on the right (before the columns menu). */
  toolbarEnd?: ReactNode;
  /** True when search or filters narrow the result (changes the empty state). */
  hasFilters?: boolean;
  onClearFilters?: () => void;

  onRefresh?: () => unknown;
  isFetching?: boolean;
  isLoading?: boolean;
  /** Rows shown are the previous page's while the next one loads (dims them). */
  stale?: boolean;
  error?: unknown;

  onRowClick?: (row: T) => void;
  rowClassName?: (row: T) => string | undefined;

  selectable?: boolean;
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: (selection: RowSelectionState) => void;

  emptyState?: ReactNode;
  /** Persists column visibility in localStorage under this id. */
  tableId?: string;
  initialHidden?: string[];
  "aria-label"?: string;
  className?: string;
}

function parseSort(sort: string | undefined): { id: string; desc: boolean } | null {
  if (!sort) return null;
  const [id, dir] = sort.split(":");
  return id ? { id, desc: dir === "desc" } : null;
}

function loadVisibility(tableId: string | undefined, initialHidden: string[] | undefined): VisibilityState {
  const base: VisibilityState = Object.fromEntries((initialHidden ?? []).map((c) => [c, false]));
  if (!tableId) return base;
  try {
    const saved = localStorage.getItem(`didtron-cols:${tableId}`);
    return saved ? { ...base, ...(JSON.parse(saved) as VisibilityState) } : base;
  } catch {
    return base;
  }
}

/**
 * Server-side data table: manual pagination, sorting and filtering; the parent owns the
 * query state (see useTableState) and passes one page of rows. Always ends with the
 * DataTableFooter.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const {
    columns,
    rows,
    total,
    totalCapped,
    getRowId,
    page,
    pageSize,
    onPageChange,
    onPageSizeChange,
    sort,
    onSortChange,
    search,
    filters,
    toolbarEnd,
    hasFilters,
    onClearFilters,
    onRefresh,
    isFetching,
    isLoading,
    stale,
    error,
    onRowClick,
    rowClassName,
    selectable,
    rowSelection: controlledSelection,
    onRowSelectionChange,
    emptyState,
    tableId,
    initialHidden,
    className,
  } = props;

  const [localSelection, setLocalSelection] = useState<RowSelectionState>({});
  const rowSelection = controlledSelection ?? localSelection;
  const setSelection = (s: RowSelectionState) => {
    if (onRowSelectionChange) onRowSelectionChange(s);
    if (!controlledSelection) setLocalSelection(s);
  };

  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>(() => loadVisibility(tableId, initialHidden));
  useEffect(() => {
    if (tableId) localStorage.setItem(`didtron-cols:${tableId}`, JSON.stringify(columnVisibility));
  }, [tableId, columnVisibility]);

  const allColumns = useMemo<ColumnDef<T>[]>(() => {
    if (!selectable) return columns;
    const select: ColumnDef<T> = {
      id: "_select",
      enableHiding: false,
      enableSorting: false,
      header: ({ table }) => (
        <Checkbox
          aria-label="Select all rows on this page"
          checked={table.getIsAllPageRowsSelected()}
          indeterminate={table.getIsSomePageRowsSelected()}
          onChange={table.getToggleAllPageRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <Checkbox
          aria-label="Select row"
          checked={row.getIsSelected()}
          disabled={!row.getCanSelect()}
          onChange={row.getToggleSelectedHandler()}
          onClick={(e) => e.stopPropagation()}
        />
      ),
      meta: { className: "w-8 !pr-0", headerClassName: "w-8 !pr-0" },
    };
    return [select, ...columns];
  }, [columns, selectable]);

  const sorted = parseSort(sort);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));

  const table = useReactTable<T>({
    data: rows ?? [],
    columns: allColumns,
    getRowId: (row) => getRowId(row),
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    pageCount,
    enableRowSelection: !!selectable,
    enableMultiRowSelection: true,
    defaultColumn: { enableSorting: false },
    state: {
      pagination: { pageIndex: page - 1, pageSize },
      sorting: sorted ? [sorted] : [],
      rowSelection,
      columnVisibility,
    },
    onRowSelectionChange: (updater) => setSelection(typeof updater === "function" ? updater(rowSelection) : updater),
    onColumnVisibilityChange: setColumnVisibility,
  });

  // After deletes or a smaller result, stay on a page that exists.
  useEffect(() => {
    if (!isLoading && total > 0 && page > pageCount) onPageChange(pageCount);
  }, [isLoading, total, page, pageCount, onPageChange]);

  const toggleSort = (id: string) => {
    if (!onSortChange) return;
    onSortChange(sorted?.id === id && !sorted.desc ? `${id}:desc` : `${id}:asc`);
  };

  const visibleColumns = table.getVisibleLeafColumns();
  const hideable = table.getAllLeafColumns().filter((c) => c.getCanHide());
  const selectedCount = Object.keys(rowSelection).filter((k) => rowSelection[k]).length;
  const showToolbar = Boolean(search || filters || toolbarEnd || onRefresh || hideable.length > 0);
  const rowsLength = rows?.length ?? 0;

  let body: ReactNode;
  if (error && !rows) {
    body = (
      <tr>
        <td colSpan={visibleColumns.length}>
          <ErrorState error={error} onRetry={onRefresh ? () => void onRefresh() : undefined} retrying={isFetching} compact />
        </td>
      </tr>
    );
  } else if (isLoading || !rows) {
    body = Array.from({ length: Math.min(pageSize, 12) }, (_, i) => (
      <tr key={i}>
        {visibleColumns.map((c) => (
          <td key={c.id} className={clsx("h-8 border-b border-line px-3 first:pl-4 last:pr-4", c.columnDef.meta?.headerClassName)}>
            <Skeleton className={clsx("h-3", c.id === "_select" ? "w-3.5" : (c.columnDef.meta?.skeleton ?? (i % 3 === 0 ? "w-28" : i % 3 === 1 ? "w-20" : "w-24")))} />
          </td>
        ))}
      </tr>
    ));
  } else if (rowsLength === 0) {
    body = (
      <tr>
        <td colSpan={visibleColumns.length}>
          {hasFilters ? (
            <EmptyState
              compact
              icon={<SearchX />}
              title="No matching results"
              description="Nothing matches the current search and filters."
              action={
                onClearFilters && (
                  <Button size="sm" onClick={onClearFilters} icon={<X className="size-3.5" />}>
                    Clear filters
                  </Button>
                )
              }
            />
          ) : (
            (emptyState ?? <EmptyState compact title="Nothing here yet" />)
          )}
        </td>
      </tr>
    );
  } else {
    body = table.getRowModel().rows.map((row) => {
      const onKey = (e: KeyboardEvent) => {
        if (onRowClick && (e.key === "Enter" || e.key === " ") && e.target === e.currentTarget) {
          e.preventDefault();
          onRowClick(row.original);
        }
      };
      return (
        <tr
          key={row.id}
          data-state={row.getIsSelected() ? "selected" : undefined}
          tabIndex={onRowClick ? 0 : undefined}
          onClick={onRowClick ? () => onRowClick(row.original) : undefined}
          onKeyDown={onRowClick ? onKey : undefined}
          className={clsx(
            "group/row outline-none",
            row.getIsSelected() ? "bg-accent-soft" : "hover:bg-surface-2",
            onRowClick && "cursor-pointer focus-visible:bg-surface-3",
            rowClassName?.(row.original),
          )}
        >
          {row.getVisibleCells().map((cell) => {
            const meta = cell.column.columnDef.meta;
            return (
              <td
                key={cell.id}
                className={clsx(
                  "h-8 border-b border-line px-3 whitespace-nowrap first:pl-4 last:pr-4 group-last/row:border-b-0",
                  meta?.align === "right" && "text-right tabular",
                  meta?.align === "center" && "text-center",
                  meta?.className,
                )}
              >
                {flexRender(cell.column.columnDef.cell, cell.getContext())}
              </td>
            );
          })}
        </tr>
      );
    });
  }

  return (
    <div className={clsx("flex min-h-0 min-w-0 flex-1 flex-col overflow-hidden rounded-lg border border-line bg-surface shadow-xs", className)}>
      {showToolbar && (
        <div className="flex shrink-0 items-start gap-2 border-b border-line px-3 py-2">
          <div className="flex min-w-0 flex-1 flex-wrap items-center gap-2">
            {search && <SearchBox search={search} />}
            {filters}
            {hasFilters && onClearFilters && (
              <Button variant="ghost" size="sm" onClick={onClearFilters} icon={<X className="size-3.5" />}>
                Reset
              </Button>
            )}
          </div>
          <div className="flex shrink-0 items-center gap-2">
            {toolbarEnd}
            {hideable.length > 0 && (
              <Popover
                align="end"
                label="Visible columns"
                className="w-52 p-1"
                trigger={(p) => (
                  <Button {...p} size="sm" icon={<Columns3 className="size-3.5" />}>
                    <span className="hidden sm:inline">Columns</span>
                  </Button>
                )}
              >
                {() => (
                  <div className="py-1">
                    <p className="px-2 pb-1 text-2xs font-semibold tracking-wide text-fg-subtle uppercase">Show columns</p>
                    {hideable.map((c) => (
                      <label key={c.id} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm hover:bg-surface-3">
                        <Checkbox checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} />
                        <span className="truncate">{c.columnDef.meta?.label ?? (typeof c.columnDef.header === "string" ? c.columnDef.header : c.id)}</span>
                      </label>
                    ))}
                  </div>
                )}
              </Popover>
            )}
            {onRefresh && <RefreshButton size="sm" onRefresh={onRefresh} fetching={isFetching} />}
          </div>
        </div>
      )}
      <div className="relative min-h-0 flex-1 overflow-auto">
        {isFetching && !isLoading && (
          <div className="pointer-events-none sticky top-0 left-0 z-20 h-0.5 w-full overflow-hidden" aria-hidden>
            <div className="h-full w-1/3 animate-indeterminate bg-accent" />
          </div>
        )}
        <table aria-label={props["aria-label"]} aria-busy={isLoading || isFetching || undefined} className="w-full border-separate border-spacing-0 text-sm">
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((header) => {
                  const meta = header.column.columnDef.meta;
                  // Manual (server) sorting: a column opts in with enableSorting: true; no accessor needed.
                  const canSort = header.column.columnDef.enableSorting === true && !!onSortChange;
                  const dir = sorted?.id === header.column.id ? (sorted.desc ? "descending" : "ascending") : undefined;
                  const content = header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={canSort ? (dir ?? "none") : undefined}
                      className={clsx(
                        "sticky top-0 z-10 h-8 border-b border-line bg-surface-2 px-3 text-left text-xs font-medium whitespace-nowrap text-fg-muted first:pl-4 last:pr-4",
                        meta?.align === "right" && "text-right",
                        meta?.align === "center" && "text-center",
                        meta?.headerClassName,
                      )}
                    >
                      {canSort ? (
                        <button
                          type="button"
                          onClick={() => toggleSort(header.column.id)}
                          className={clsx("-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 hover:bg-surface-3 hover:text-fg", dir && "text-fg", meta?.align === "right" && "flex-row-reverse")}
                        >
                          {content}
                          {dir === "ascending" ? (
                            <ArrowUp className="size-3" aria-hidden />
                          ) : dir === "descending" ? (
                            <ArrowDown className="size-3" aria-hidden />
                          ) : (
                            <ChevronsUpDown className="size-3 opacity-40" aria-hidden />
                          )}
                        </button>
                      ) : (
                        content
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className={clsx("transition-opacity", stale && isFetching && "opacity-50")}>{body}</tbody>
        </table>
      </div>
      <DataTableFooter
        page={page}
        pageSize={pageSize}
        total={!rows ? 0 : total}
        totalCapped={!!rows && totalCapped}
        loading={isLoading && !rows}
        onPageChange={onPageChange}
        onPageSizeChange={onPageSizeChange}
        selectedCount={selectable ? selectedCount : 0}
        onClearSelection={selectable ? () => setSelection({}) : undefined}
      />
    </div>
  );
}

function SearchBox({ search }: { search: DataTableSearch }) {
  const [value, setValue] = useState(search.value);
  const last = useRef(search.value);
  const ref = useRef<HTMLInputElement>(null);
  const { onChange } = search;

  // External changes (back button, "Clear filters") win over the local text.
  useEffect(() => {
    if (search.value !== last.current) {
      last.current = search.value;
      setValue(search.value);
    }
  }, [search.value]);

  useEffect(() => {
    if (value.trim() === last.current.trim()) return;
    const t = setTimeout(() => {
      last.current = value.trim();
      onChange(value.trim());
    }, 300);
    return () => clearTimeout(t);
  }, [value, onChange]);

  useEffect(() => {
    if (search.autoFocus !== false) ref.current?.focus();
  }, [search.autoFocus]);

  return (
    <Input
      ref={ref}
      type="text"
      size="sm"
      aria-label="Search"
      placeholder={search.placeholder ?? "Search…"}
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === "Escape" && value) {
          e.stopPropagation();
          setValue("");
        }
      }}
      icon={<SearchIcon />}
      className="w-full sm:w-56"
    />
  );
}
