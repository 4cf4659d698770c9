import { useMemo, useState } from "react";

/**
 * Paging and search for a small list the API returns whole (contacts, alerts), so it
 * can use the DataTable and its footer like every server-side table.
 */
export function useClientTable<T>(rows: T[] | undefined, matches: (row: T, q: string) => boolean) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [q, setQ] = useState("");
  const filtered = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return rows && needle ? rows.filter((r) => matches(r, needle)) : rows;
    // `matches` is a stable module-level function in callers.
  }, [rows, q]);
  const pageRows = useMemo(() => filtered?.slice((page - 1) * pageSize, page * pageSize), [filtered, page, pageSize]);
  return {
    rows: pageRows,
    total: filtered?.length ?? 0,
    page,
    pageSize,
    q,
    setPage,
    setPageSize: (s: number) => {
      setPageSize(s);
      setPage(1);
    },
    setQ: (v: string) => {
      setQ(v);
      setPage(1);
    },
    hasFilters: q.trim() !== "",
    clear: () => setQ(""),
  };
}
