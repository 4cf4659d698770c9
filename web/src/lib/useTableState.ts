import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";

export const PAGE_SIZES = [10, 25, 50, 100] as const;

export interface TableState<F extends string> {
  page: number;
  pageSize: number;
  sort: string | undefined;
  q: string;
  filters: Record<F, string>;
  setPage: (page: number) => void;
  setPageSize: (size: number) => void;
  setSort: (sort: string | undefined) => void;
  setQ: (q: string) => void;
  setFilter: (key: F, value: string) => void;
  setFilters: (patch: Partial<Record<F, string>>) => void;
  clearFilters: () => void;
  hasFilters: boolean;
  /** Query parameters for the list endpoint. */
  query: Record<string, string | number | undefined>;
}

/**
 * Server-side table state (page, pageSize, sort, q, filters) kept in the URL, so a
 * filtered view can be shared, reloaded and navigated back to.
 */
export function useTableState<F extends string = never>(opts: { defaultPageSize?: number; defaultSort?: string; filters?: readonly F[] } = {}): TableState<F> {
  const [params, setParams] = useSearchParams();
  const defaultPageSize = opts.defaultPageSize ?? 25;
  const filterKeys = useMemo(() => opts.filters ?? ([] as readonly F[]), [opts.filters]);

  const page = Math.max(1, Math.floor(Number(params.get("page"))) || 1);
  const rawSize = Number(params.get("pageSize"));
  const pageSize = (PAGE_SIZES as readonly number[]).includes(rawSize) ? rawSize : defaultPageSize;
  const sort = params.get("sort") ?? opts.defaultSort;
  const q = params.get("q") ?? "";
  const filtersKey = filterKeys.map((k) => `${k}=${params.get(k) ?? ""}`).join("&");
  const filters = useMemo(() => {
    const out = {} as Record<F, string>;
    for (const k of filterKeys) out[k] = params.get(k) ?? "";
    return out;
    // filtersKey captures every filter value, so it is the only dependency needed.
  }, [filtersKey]);

  const update = useCallback(
    (patch: Record<string, string | number | null | undefined>, resetPage: boolean) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === null || v === undefined || v === "") next.delete(k);
            else next.set(k, String(v));
          }
          if (resetPage) next.delete("page");
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const hasFilters = q !== "" || filterKeys.some((k) => (filters[k] ?? "") !== "");

  return {
    page,
    pageSize,
    sort,
    q,
    filters,
    setPage: (p) => update({ page: p > 1 ? p : null }, false),
    setPageSize: (s) => update({ pageSize: s === defaultPageSize ? null : s }, true),
    setSort: (s) => update({ sort: s === opts.defaultSort ? null : (s ?? null) }, true),
    setQ: (value) => update({ q: value.trim() || null }, true),
    setFilter: (k, v) => update({ [k]: v || null }, true),
    setFilters: (patch) => update(patch as Record<string, string>, true),
    clearFilters: () => update(Object.fromEntries([["q", null], ...filterKeys.map((k) => [k, null])]), true),
    hasFilters,
    query: {
      page,
      pageSize,
      sort,
      q: q || undefined,
      ...Object.fromEntries(filterKeys.map((k) => [k, filters[k] || undefined])),
    },
  };
}

/** The list query a server-paginated table shows (a TanStack query of a `Page`). */
interface ListQuery<R> {
  data?: { rows: R[]; total: number };
  refetch: () => unknown;
  isFetching: boolean;
  isLoading: boolean;
  isPlaceholderData: boolean;
  error: unknown;
}

/**
 * What every server-paginated DataTable takes from its URL state and its list query —
 * rows, paging, sort, filters-cleared, refresh and loading states. Spread it, then add
 * the table's own columns, filters and empty state.
 */
export function serverTableProps<F extends string, R>(t: TableState<F>, list: ListQuery<R>) {
  return {
    rows: list.data?.rows,
    total: list.data?.total ?? 0,
    page: t.page,
    pageSize: t.pageSize,
    onPageChange: t.setPage,
    onPageSizeChange: t.setPageSize,
    sort: t.sort,
    onSortChange: t.setSort,
    hasFilters: t.hasFilters,
    onClearFilters: t.clearFilters,
    onRefresh: () => list.refetch(),
    isFetching: list.isFetching,
    isLoading: list.isLoading,
    stale: list.isPlaceholderData,
    error: list.error,
  };
}
