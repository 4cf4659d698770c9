/**
 * The engine's decision as the API returns it: names instead of objects, money as
 * decimal strings, and a sentence for every step, rejection and dropped candidate.
 * Runs after the decision (never on the engine's hot path).
 */
import { divRoundHalfUp, formatMoney } from "../platform/money.js";
import { lookup } from "../rating/engine/index.js";
import { describeFxRate, ingressLimits, type CapacityCheck, type Decision, type Drop, type LiveState, type PrefixSet, type Route } from "./engine/index.js";
import { DECISION_STEPS, type DecisionDto, type RejectReason } from "./model.js";

type Step = (typeof DECISION_STEPS)[number];
const STEP_OF: Record<RejectReason, Step> = {
  unknown_source: "ingress",
  unknown_service: "ingress",
  no_service: "ingress",
  ambiguous_service: "ingress",
  service_disabled: "ingress",
  interconnect_disabled: "ingress",
  carrier_inactive: "ingress",
  invalid_number: "numbers",
  blacklisted_destination: "blacklist",
  blacklisted_origination: "blacklist",
  no_rating_plan: "customer_rate",
  no_rate: "customer_rate",
  no_credit: "credit",
  capacity: "capacity",
  cps: "capacity",
  no_routing_plan: "routing",
  no_route_entry: "routing",
  blocked: "routing",
  no_route: "routing",
};

export interface DecisionMeta {
  sourceIp: string | null;
  sourcePort: number | null;
  dialled: string;
  calling: string;
  seed: number;
  /** The live counters the decision read (to list the ingress limits it checked). */
  live: LiveState;
  engineMicros: number;
  generation: number;
  builtAt: Date;
}

const ref = (x: { id: string; name: string }) => ({ id: x.id, name: x.name });
const money = (m: bigint) => formatMoney(m);
const iso = (ms: number) => new Date(ms).toISOString();
const window = (from: number, to: number) =>
  `${Number.isFinite(from) ? `from ${iso(from)}` : "from the beginning"} ${Number.isFinite(to) ? `to ${iso(to)}` : "with no end"}`;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** Margin as a percent of the customer rate, 2 decimals ("40.00"); null when there is none. */
function percentOf(margin: bigint | null, customer: bigint | null): string | null {
  if (margin === null || customer === null || customer === 0n) return null;
  const bp = divRoundHalfUp(margin * 10_000n, customer);
  const abs = bp < 0n ? -bp : bp;
  return `${bp < 0n ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

function translationDto(t: NonNullable<Decision["translations"]>[number]) {
  return { side: t.side, field: t.rule.field, matchPrefix: t.rule.matchPrefix, strip: t.rule.strip, prepend: t.rule.prepend, before: t.before, after: t.after };
}

function dropMessage(x: Drop, d: Decision): string {
  const ic = x.item.interconnect;
  const name = ic?.name ?? x.item.trunkGroup?.name ?? "The target";
  const cur = d.compareCurrency ?? "";
  const r = x.route;
  switch (x.reason) {
    case "unavailable":
      return "The interconnect or trunk group no longer exists";
    case "not_egress":
      return `${name} is not an egress ${x.item.trunkGroup && !ic ? "trunk group" : "interconnect"}`;
    case "empty_trunk_group":
      return `Trunk group ${name} has no members`;
    case "duplicate":
      return `${name} is already offered earlier in this entry`;
    case "blocked":
      return "Blocked in this entry";
    case "not_effective":
      return `Not effective at the call time (${window(x.item.from, x.item.to)})`;
    case "disabled":
      return `${name} is ${ic!.status}`;
    case "carrier_inactive":
      return `${ic!.carrier.name} is ${ic!.carrier.status}`;
    case "down":
      return `${name} is marked down by monitoring`;
    case "capacity":
      return ic!.capacity !== null ? `${name} or its carrier is at its channel limit (interconnect ${ic!.capacity}, carrier ${ic!.carrier.routingCapacity ?? "unrestricted"})` : `${ic!.carrier.name} is at its channel limit (${ic!.carrier.routingCapacity})`;
    case "cps":
      return `${name} is at its limit of ${ic!.maxCps} calls per second`;
    case "circular":
      return `Would route the call back to ${ic!.carrier.name}, which has circular routing disabled`;
    case "blacklisted_destination":
      return `${x.detail} is on ${name}'s destination blacklist`;
    case "blacklisted_origination":
      return `${x.detail} is on ${name}'s origination blacklist`;
    case "no_supplier_plan":
      return `${name} has no supplier rating plan`;
    case "no_rate":
      return `No live rate for ${d.destination} in "${ic!.supplierPlan!.name}"`;
    case "no_fx_rate":
      return `No FX rate ${x.detail} at the call time to compare rates`;
    case "max_rate":
      return `${money(r!.rateInPlanMicros)} ${cur}/min exceeds the maximum of ${money(x.item.maxRateMicros!)}`;
    case "loss":
      return `Loses money: supplier ${money(r!.rateInPlanMicros)} > customer ${money(d.customerRateInPlanMicros!)} ${cur}/min`;
    case "min_margin": {
      const bp = d.entry?.minMarginBasisPoints ?? null;
      const pct = bp === null ? "" : ` and ${percentOf(bp, 10_000n)}% of the customer rate`;
      return `Margin ${money(r!.marginMicros!)} ${cur}/min (${percentOf(r!.marginMicros, d.customerRateInPlanMicros)}%) is below the minimum of ${money(x.item.minMarginMicros)}${pct}`;
    }
    case "quality":
      return `Quality below the entry's thresholds: ${x.detail}`;
    case "max_attempts":
      return `Routable, but past the maximum of ${d.entry!.maxAttempts} attempts`;
  }
}

function routeDto(r: Route, position: number, d: Decision) {
  const ic = r.interconnect;
  const match = lookup(r.plan.plan, d.destination, d.atMs);
  return {
    position,
    candidateId: r.item.candidate?.id ?? null,
    interconnect: ref(ic),
    carrier: ref(ic.carrier),
    trunkGroup: r.item.trunkGroup ? ref(r.item.trunkGroup) : null,
    priority: r.item.priority,
    weight: r.item.weight,
    supplierRatingPlan: ref(r.plan),
    supplierPrefix: match?.prefix ?? "",
    supplierDestination: match?.destination ?? "",
    supplierCurrency: r.plan.plan.currency,
    supplierRate: r.rateMicros,
    supplierConnectionFee: r.connectionFeeMicros,
    fxRate: r.fx ? describeFxRate(r.fx, r.fxIndex) : null,
    supplierRateInPlanCurrency: r.rateInPlanMicros,
    margin: r.marginMicros,
    marginPercent: percentOf(r.marginMicros, d.customerRateInPlanMicros),
    quality: r.quality,
    sendTo: ic.sendTo.map((s) => ({ ...s })),
    techPrefix: ic.techPrefix,
    destination: r.destination,
    origination: r.origination,
    translations: (r.translations ?? []).map(translationDto),
  };
}

function droppedDto(x: Drop, d: Decision) {
  const ic = x.item.interconnect;
  const r = x.route;
  return {
    candidateId: x.item.candidate?.id ?? null,
    interconnect: ic ? ref(ic) : null,
    carrier: ic ? ref(ic.carrier) : null,
    trunkGroup: x.item.trunkGroup ? ref(x.item.trunkGroup) : null,
    reason: x.reason,
    message: dropMessage(x, d),
    supplierCurrency: r?.plan.plan.currency ?? null,
    supplierRate: r?.rateMicros ?? null,
    supplierRateInPlanCurrency: r?.rateInPlanMicros ?? null,
    margin: r?.marginMicros ?? null,
  };
}

function rejectionMessage(d: Decision, meta: DecisionMeta, limits: CapacityCheck[]): string {
  const svc = d.service;
  const ic = d.ingress;
  const source = `${meta.sourceIp}${meta.sourcePort ? `:${meta.sourcePort}` : ""}`;
  switch (d.reject!) {
    case "unknown_source":
      return `No ingress interconnect has the source address ${source}`;
    case "unknown_service":
      return "No such service";
    case "no_service":
      return `${source} is an ingress address, but no service there matches the tech prefix, destination and origination of ${meta.dialled}`;
    case "ambiguous_service":
      return `Services "${svc!.name}" and "${d.rejectDetail}" match this call equally; the hierarchy rules should have refused that — correct one of them`;
    case "interconnect_disabled":
      return `${ic!.name} is ${ic!.status}`;
    case "carrier_inactive":
      return `${ic!.carrier.name} is ${ic!.carrier.status}`;
    case "service_disabled":
      return `Service "${svc!.name}" is disabled`;
    case "invalid_number":
      return `Nothing routable in ${meta.dialled} after the tech prefix${d.techPrefix ? ` "${d.techPrefix}"` : ""} and translations`;
    case "blacklisted_destination":
    case "blacklisted_origination": {
      const b = d.blacklist!;
      return `${b.list === "destination" ? d.destination : d.origination} is on the ${b.scope === "global" ? "tenant's" : `${b.scope}'s`} ${b.list} blacklist (entry ${b.value})`;
    }
    case "no_rating_plan":
      return `Service "${svc!.name}" has no customer rating plan`;
    case "no_rate":
      return `"${d.customerPlan!.name}" has no rate for ${d.destination} at ${iso(d.atMs)}`;
    case "no_credit":
      return `Credit refused (${d.credit && !d.credit.allowed ? d.credit.reason : "?"}): ${d.rejectDetail}`;
    case "capacity":
    case "cps": {
      const c = limits.find((x) => !x.ok)!;
      return `${c.scope === "service" ? `Service "${c.name}"` : c.name} is at its ${c.kind === "cps" ? "calls-per-second" : "channel"} limit (${c.inUse}/${c.limit})`;
    }
    case "no_routing_plan":
      return `Service "${svc!.name}" has no routing plan`;
    case "no_route_entry":
      return `"${d.plan!.name}" has no entry for ${d.destination} live at ${iso(d.atMs)}`;
    case "blocked":
      return `Entry ${d.entry!.data.prefix || "(default)"} of "${d.plan!.name}" blocks this destination`;
    case "no_route":
      return `Every candidate of the entry was dropped (${plural(d.dropped.length, "candidate")})`;
  }
}

function explain(d: Decision, meta: DecisionMeta, rejection: string | null, limits: CapacityCheck[]): DecisionDto["explanation"] {
  const lines: DecisionDto["explanation"] = [];
  const failed = d.reject ? STEP_OF[d.reject] : null;
  const svc = d.service;
  const ic = d.ingress;
  for (const step of DECISION_STEPS) {
    if (step === failed) {
      lines.push({ step, status: "reject", message: rejection! });
      break;
    }
    let message = "";
    switch (step) {
      case "ingress": {
        const how = [
          d.techPrefix ? `tech prefix "${d.techPrefix}"` : "no tech prefix",
          d.serviceDestinationPrefixLength ? `destination match ${d.destination.slice(0, d.serviceDestinationPrefixLength)}` : null,
          d.serviceOriginationPrefixLength ? `origination match ${d.origination.slice(0, d.serviceOriginationPrefixLength)}` : null,
        ].filter(Boolean);
        message =
          d.matchedBy === "source"
            ? `${meta.sourceIp}${meta.sourcePort ? `:${meta.sourcePort}` : ""} is ${ic!.name} (${ic!.carrier.name}) by address ${d.matchedAddress}; service "${svc!.name}" by ${how.join(", ")}`
            : `Service "${svc!.name}" on ${ic!.name} (${ic!.carrier.name}), chosen by id${d.serviceMatchMismatch ? "; note: by source address this number would not reach this service (its match lists differ)" : ""}`;
        break;
      }
      case "numbers": {
        const t = (d.translations ?? []).map((x) => `${x.rule.field} ${x.before} → ${x.after}`);
        message = `Destination ${d.destination}, origination ${d.origination || "none"}${t.length ? `; ingress translation ${t.join(", ")}` : ""}`;
        break;
      }
      case "blacklist": {
        const sd = svc!.data;
        const state = (on: boolean, exceptions: PrefixSet | null, number: string) =>
          !on ? "off for this service" : exceptions !== null && exceptions.longest(number) >= 0 ? "exempt by the service's exceptions" : "no entry matches";
        message = `Destination: ${state(sd.destinationBlacklist, svc!.destinationExceptions, d.destination)}; origination: ${d.origination ? state(sd.originationBlacklist, svc!.originationExceptions, d.origination) : "none given"}`;
        break;
      }
      case "customer_rate": {
        const m = lookup(d.customerPlan!.plan, d.destination, d.atMs)!;
        const cur = d.customerPlan!.plan.currency;
        const cmp = d.compareCurrency!;
        const fx =
          cur === cmp
            ? ""
            : d.customerRateInPlanMicros === null
              ? `; no ${cur}→${cmp} FX rate at the call time, so margins cannot be computed`
              : ` = ${money(d.customerRateInPlanMicros)} ${cmp}/min at ${describeFxRate(d.customerFx!, d.customerFxIndex)}`;
        message = `${money(d.customerRateMicros)} ${cur}/min for ${m.prefix} (${m.destination}) in "${d.customerPlan!.name}"${fx}`;
        break;
      }
      case "credit":
        message = `${d.credit!.detail}${d.creditEnforced ? "" : " — calls are not checked against balances until credit control is wired in"}`;
        break;
      case "capacity":
        message = limits.length
          ? limits.map((c) => `${c.scope} ${c.name}: ${c.inUse}/${c.limit} ${c.kind === "cps" ? "calls this second" : "channels"}${c.ok ? "" : " (limit reached; service policy monitor: reported, not enforced)"}`).join("; ")
          : "No channel or CPS limits on the customer's side";
        break;
      case "routing": {
        const e = d.entry!;
        const summary = `${plural(d.routes.length, "route")}, ${d.dropped.length} dropped`;
        if (e.direct) {
          message = `Service routes straight to ${d.routes[0]?.interconnect.name}; ${summary}`;
        } else {
          const withStats = d.routes.filter((r) => r.quality !== null).length;
          const strategy =
            e.data.strategy === "quality" ? `quality over ${e.data.qualityBase} (${withStats ? `statistics for ${withStats} of ${d.routes.length} routes` : `no statistics yet: ${e.data.qualityBase} order`})` : e.data.strategy;
          message = `"${d.plan!.name}" entry ${e.data.prefix || "(default)"}: ${strategy}${e.data.strategy === "weighted" ? ` (seed ${meta.seed})` : ""}, compared in ${d.compareCurrency}, at most ${e.maxAttempts} attempts; ${summary}`;
        }
        break;
      }
    }
    lines.push({ step, status: "ok", message });
  }
  return lines;
}

export function toDecisionDto(d: Decision, meta: DecisionMeta): DecisionDto {
  const svc = d.service;
  const ic = d.ingress;
  const limits = d.limitsChecked && svc ? ingressLimits(svc, meta.live) : [];
  const rejection = d.reject ? rejectionMessage(d, meta, limits) : null;
  const customer = d.customerPlan && d.customerHandle >= 0 ? lookup(d.customerPlan.plan, d.destination, d.atMs) : null;
  return {
    outcome: d.outcome,
    at: new Date(d.atMs),
    rejection: d.reject ? { reason: d.reject, sipStatus: d.sipStatus, q850Cause: d.q850Cause, causeDescription: d.causeDescription, message: rejection! } : null,
    ingress: ic ? { interconnect: ref(ic), carrier: ref(ic.carrier), matchedBy: d.matchedBy, address: d.matchedAddress } : null,
    service: svc
      ? {
          id: svc.id,
          name: svc.name,
          techPrefix: svc.techPrefix,
          destinationPrefix: d.destination.slice(0, d.serviceDestinationPrefixLength),
          originationPrefix: d.origination.slice(0, d.serviceOriginationPrefixLength),
          routingMethod: svc.data.routingMethod,
        }
      : null,
    numbers: {
      dialled: meta.dialled,
      calling: meta.calling,
      techPrefix: d.techPrefix,
      destination: d.destination,
      origination: d.origination,
      translations: (d.translations ?? []).map(translationDto),
    },
    customerRate:
      customer && d.customerPlan
        ? {
            ratingPlan: ref(d.customerPlan),
            currency: d.customerPlan.plan.currency,
            prefix: customer.prefix,
            destination: customer.destination,
            rate: d.customerRateMicros,
            connectionFee: d.customerConnectionFeeMicros,
            fxRate: d.customerFx && d.customerFxIndex >= 0 ? describeFxRate(d.customerFx, d.customerFxIndex) : null,
            rateInPlanCurrency: d.customerRateInPlanMicros,
          }
        : null,
    credit: d.credit ? { allowed: d.credit.allowed, enforced: d.creditEnforced, reason: d.credit.allowed ? null : d.credit.reason, detail: d.credit.detail } : null,
    capacity: limits,
    routingPlan: d.plan ? { id: d.plan.id, name: d.plan.name, currency: d.plan.currency, maxAttempts: d.plan.maxAttempts } : null,
    entry:
      d.entry && !d.entry.direct
        ? {
            id: d.entry.data.id,
            prefix: d.entry.data.prefix,
            strategy: d.entry.data.strategy,
            qualityBase: d.entry.data.qualityBase,
            description: d.entry.data.description,
            maxAttempts: d.entry.maxAttempts,
            effectiveFrom: d.entry.data.effectiveFrom === null ? null : new Date(d.entry.data.effectiveFrom),
            effectiveTo: d.entry.data.effectiveTo === null ? null : new Date(d.entry.data.effectiveTo),
          }
        : null,
    routes: d.routes.map((r, i) => routeDto(r, i + 1, d)),
    dropped: d.dropped.map((x) => droppedDto(x, d)),
    explanation: explain(d, meta, rejection, limits),
    seed: meta.seed,
    engineMicros: meta.engineMicros,
    snapshot: { generation: meta.generation, builtAt: meta.builtAt },
  };
}
