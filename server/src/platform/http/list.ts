import { z } from "zod";
import { asc, desc, type AnyColumn, type SQL } from "drizzle-orm";

/** Query string every server-side paginated table sends. */
export const listQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(25),
  sort: z
    .string()
    .regex(/^[a-zA-Z_]+:(asc|desc)$/, "use field:asc or field:desc")
    .optional(),
  q: z.string().trim().max(200).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export const listResponse = <T extends z.ZodType>(row: T) =>
  z.object({ rows: z.array(row), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Resolves `field:dir` against an allow-list of sortable columns; unknown fields fall back. */
export function orderBy(sort: string | undefined, columns: Record<string, AnyColumn | SQL>, fallback: SQL): SQL {
  if (!sort) return fallback;
  const [field, dir] = sort.split(":") as [string, "asc" | "desc"];
  const col = columns[field];
  if (!col) return fallback;
  return dir === "desc" ? desc(col) : asc(col);
}

export const offsetOf = (q: { page: number; pageSize: number }) => (q.page - 1) * q.pageSize;

/** Escapes LIKE wildcards so a user's `%` or `_` matches literally. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
