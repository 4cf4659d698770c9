import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { Field, Select } from "../../components";
import { api } from "../../lib/api";
import type { Page as ListPage } from "../../lib/types";
import { routingKeys, type RoutingPlan } from "./types";

/** Every routing plan by name (for pickers and for naming a service's plan; tenants have few). */
export function useRoutingPlanOptions(enabled = true) {
  return useQuery({
    queryKey: [...routingKeys.plans, "options"],
    queryFn: ({ signal }) => api.get<ListPage<RoutingPlan>>("/routing-plans", { pageSize: 500, sort: "name:asc" }, signal),
    enabled,
    staleTime: 30_000,
  });
}

/** Picks a service's routing plan (any currency: the plan converts supplier rates into its own). */
export function RoutingPlanSelect({ value, onChange, error, disabled, className }: { value: string | null; onChange: (id: string | null) => void; error?: string[]; disabled?: boolean; className?: string }) {
  const plans = useRoutingPlanOptions();
  const rows = plans.data?.rows ?? [];
  const options = rows.map((p) => ({ value: p.id, label: `${p.name} (${p.currency})` }));
  if (value && plans.isSuccess && !rows.some((p) => p.id === value)) options.unshift({ value, label: "Unknown plan (deleted?)" });
  return (
    <Field
      label="Routing plan"
      error={error}
      className={className}
      hint={
        <>
          {plans.isSuccess && rows.length === 0 ? "No routing plans yet: calls are refused with 503 until the service has one." : "Without one, calls are refused with 503 (no routing plan)."}{" "}
          <Link to="/routing/plans" className="text-accent-text hover:underline">
            Manage routing plans
          </Link>
        </>
      }
    >
      <Select value={value ?? ""} onChange={(e) => onChange(e.target.value || null)} disabled={disabled || plans.isLoading} options={options} placeholder="No plan" />
    </Field>
  );
}
