import { useMemo, useState } from "react";
import { useTableState, type TableState } from "../../../lib/useTableState";

/**
 * Table state kept in the URL (a page of its own) or in component state (a table
 * embedded in another page, whose URL parameters belong to that page).
 */
export function useListState<F extends string>(opts: { inUrl: boolean; defaultPageSize?: number; defaultSort?: string; filters: readonly F[] }): TableState<F> {
  const url = useTableState<F>({ defaultPageSize: opts.defaultPageSize, defaultSort: opts.defaultSort, filters: opts.filters });
  const defaultPageSize = opts.defaultPageSize ?? 25;
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(defaultPageSize);
  const [sort, setSort] = useState<string | undefined>(opts.defaultSort);
  const [q, setQ] = useState("");
  const [filters, setFilterState] = useState<Record<F, string>>(() => Object.fromEntries(opts.filters.map((k) => [k, ""])) as Record<F, string>);
  const local = useMemo<TableState<F>>(() => {
    const hasFilters = q !== "" || Object.values<string>(filters).some((v) => v !== "");
    return {
      page,
      pageSize,
      sort,
      q,
      filters,
      setPage,
      setPageSize: (s) => {
        setPageSize(s);
        setPage(1);
      },
      setSort: (s) => {
        setSort(s);
        setPage(1);
      },
      setQ: (v) => {
        setQ(v.trim());
        setPage(1);
      },
      setFilter: (k, v) => {
        setFilterState((f) => ({ ...f, [k]: v }));
        setPage(1);
      },
      setFilters: (patch) => {
        setFilterState((f) => ({ ...f, ...patch }));
        setPage(1);
      },
      clearFilters: () => {
        setQ("");
        setFilterState((f) => Object.fromEntries(Object.keys(f).map((k) => [k, ""])) as Record<F, string>);
        setPage(1);
      },
      hasFilters,
      query: { page, pageSize, sort, q: q || undefined, ...Object.fromEntries(Object.entries<string>(filters).map(([k, v]) => [k, v || undefined])) },
    };
  }, [page, pageSize, sort, q, filters]);
  return opts.inUrl ? url : local;
}
