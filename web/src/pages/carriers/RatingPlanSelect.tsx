import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { Field, Select } from "../../components";
import { api } from "../../lib/api";

interface PlanOption {
  id: string;
  name: string;
  kind: "customer" | "supplier";
  currency: string;
}

/**
 * Picks a rating plan of one kind in one currency (the server checks the same rule):
 * customer plans for services, supplier plans for egress interconnects.
 */
export function RatingPlanSelect({
  label,
  kind,
  currency,
  value,
  onChange,
  error,
  disabled,
  className,
}: {
  label: string;
  kind: "customer" | "supplier";
  currency: string | null;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string[];
  disabled?: boolean;
  className?: string;
}) {
  const plans = useQuery({
    queryKey: ["rating-plans", "options", kind, currency],
    queryFn: () => api.get<{ rows: PlanOption[] }>("/rating-plans", { kind, currency: currency ?? undefined, pageSize: 200, sort: "name:asc" }),
    enabled: !!currency,
  });
  const options = (plans.data?.rows ?? []).map((p) => ({ value: p.id, label: p.name }));
  const hint = !currency ? "Pick the currency first." : plans.isSuccess && options.length === 0 ? `No ${kind} plans in ${currency} yet.` : `${kind === "customer" ? "Customer" : "Supplier"} plans in ${currency}.`;
  return (
    <Field
      label={label}
      error={error}
      className={className}
      hint={
        <>
          {hint}{" "}
          <Link to="/rating/plans" className="text-accent hover:underline">
            Manage rating plans
          </Link>
        </>
      }
    >
      <Select value={value ?? ""} onChange={(e) => onChange(e.target.value || null)} disabled={disabled || !currency || plans.isLoading} options={options} placeholder="No plan" />
    </Field>
  );
}
