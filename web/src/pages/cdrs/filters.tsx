import { useQuery } from "@tanstack/react-query";
import { CalendarClock } from "lucide-react";
import { Input, Select } from "../../components";
import { api } from "../../lib/api";
import { RANGES, localOf, resolveRange, type RangeFilters, type RangeKey } from "./types";

interface CarrierOption {
  id: string;
  name: string;
}

/** Every carrier of the tenant, by name, for the carrier filter. */
export function useCarrierOptions() {
  return useQuery({
    queryKey: ["carriers", "options", "all"],
    queryFn: () => api.get<{ rows: CarrierOption[] }>("/carriers", { pageSize: 500, sort: "name:asc" }),
    staleTime: 60_000,
    select: (d) => d.rows.map((c) => ({ value: c.id, label: c.name })),
  });
}

export function CarrierFilter({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const carriers = useCarrierOptions();
  return <Select size="sm" aria-label="Carrier" value={value} onChange={(e) => onChange(e.target.value)} placeholder="All carriers" options={carriers.data ?? []} wrapperClassName="w-44" />;
}

/**
 * Time range picker: presets ending now, or a custom from–to in the tenant's time zone.
 * Switching to custom starts from the window currently shown.
 */
export function TimeRangeFilter({
  filters,
  defaultRange,
  nowMs,
  onChange,
}: {
  filters: RangeFilters;
  defaultRange: RangeKey;
  nowMs: number;
  onChange: (patch: Partial<RangeFilters>) => void;
}) {
  const range = filters.range || defaultRange;
  return (
    <div className="flex items-center gap-1">
      <Select
        size="sm"
        aria-label="Time range"
        value={range}
        onChange={(e) => {
          const next = e.target.value;
          if (next === "custom") {
            const shown = resolveRange(filters, defaultRange, nowMs);
            onChange({ range: next, from: localOf(shown.from), to: localOf(shown.to) });
          } else onChange({ range: next === defaultRange ? "" : next, from: "", to: "" });
        }}
        options={RANGES.map((r) => ({ value: r.value, label: r.label }))}
        wrapperClassName="w-36"
      />
      {range === "custom" && (
        <>
          <Input size="sm" type="datetime-local" aria-label="From" title="From (inclusive)" value={filters.from} max={filters.to || undefined} onChange={(e) => onChange({ from: e.target.value })} icon={<CalendarClock />} className="w-[12.5rem]" />
          <span className="text-xs text-fg-subtle">–</span>
          <Input size="sm" type="datetime-local" aria-label="To" title="To (exclusive)" value={filters.to} min={filters.from || undefined} onChange={(e) => onChange({ to: e.target.value })} className="w-[11rem]" />
        </>
      )}
    </div>
  );
}
