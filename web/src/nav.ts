import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import {
  Activity,
  ArrowRightLeft,
  Ban,
  Layers,
  PhoneOff,
  BookOpen,
  BookOpenCheck,
  Building2,
  Calculator,
  Cable,
  FileInput,
  FileSearch,
  Gavel,
  Component,
  FlaskConical,
  Gauge,
  KeyRound,
  LayoutDashboard,
  ListChecks,
  Mail,
  Network,
  PhoneCall,
  RadioTower,
  Receipt,
  Route,
  ScrollText,
  Server,
  Settings,
  Split,
  Trash2,
  TriangleAlert,
  Users,
  Wallet,
  Waypoints,
  type LucideIcon,
  ArrowLeftRight,
  FileMinus,
  FileText,
  SlidersHorizontal,
} from "lucide-react";
import type { Permission } from "./lib/types";

export interface NavPage {
  id: string;
  label: string;
  path: string;
  icon: LucideIcon;
  /** Hidden (and refused) without this permission. */
  permission?: Permission;
  /** The page; pages without one show the "coming soon" placeholder. */
  component?: LazyExoticComponent<ComponentType>;
  /** One line shown on the placeholder page. */
  description?: string;
  /** Detail routes under this page (not in the sidebar), e.g. `/carriers/:carrierId`. */
  details?: { path: string; component: LazyExoticComponent<ComponentType> }[];
}

export interface NavModule {
  id: string;
  label: string;
  icon: LucideIcon;
  description: string;
  pages: NavPage[];
}

/**
 * The console's modules and their pages. The icon rail, the module sidebar, the
 * breadcrumbs, global "Pages" search and the routes are all built from this list:
 * adding a module is adding one entry here.
 */
export const NAV: NavModule[] = [
  {
    id: "dashboard",
    label: "Dashboard",
    icon: LayoutDashboard,
    description: "Traffic, jobs and account health at a glance.",
    pages: [{ id: "overview", label: "Overview", path: "/", icon: Gauge, component: lazy(() => import("./pages/DashboardPage")) }],
  },
  {
    id: "carriers",
    label: "Carriers",
    icon: Network,
    description: "Digitalk-style carrier hierarchy: carriers, interconnects and services.",
    pages: [
      {
        id: "carriers",
        label: "Carriers",
        path: "/carriers",
        icon: Building2,
        permission: "carriers:read",
        component: lazy(() => import("./pages/carriers/CarriersPage")),
        details: [
          { path: "/carriers/interconnects/:interconnectId", component: lazy(() => import("./pages/carriers/InterconnectDetailPage")) },
          { path: "/carriers/:carrierId", component: lazy(() => import("./pages/carriers/CarrierDetailPage")) },
        ],
      },
      { id: "services", label: "Services", path: "/carriers/services", icon: Cable, permission: "carriers:read", component: lazy(() => import("./pages/carriers/ServicesPage")) },
      { id: "trunk-groups", label: "Trunk Groups", path: "/carriers/trunk-groups", icon: Layers, permission: "carriers:read", component: lazy(() => import("./pages/carriers/TrunkGroupsPage")) },
      { id: "blacklisting", label: "Blacklisting", path: "/carriers/blacklisting", icon: Ban, permission: "carriers:read", component: lazy(() => import("./pages/carriers/BlacklistingPage")) },
      { id: "release-causes", label: "Release Cause Mapping", path: "/carriers/release-causes", icon: PhoneOff, permission: "carriers:read", component: lazy(() => import("./pages/carriers/ReleaseCausesPage")) },
      { id: "balances", label: "Balance & Spend", path: "/carriers/balances", icon: Wallet, permission: "ledger:read", component: lazy(() => import("./pages/ledger/BalanceSpendPage")) },
    ],
  },
  {
    id: "switch",
    label: "Switch",
    icon: RadioTower,
    description: "The softswitch (Kamailio) under the platform: nodes, live calls and monitoring.",
    pages: [
      { id: "status", label: "Switch Status", path: "/switch", icon: Activity, permission: "switch:read", component: lazy(() => import("./pages/switch/SwitchStatusPage")) },
      { id: "calls", label: "Active Calls", path: "/switch/calls", icon: PhoneCall, permission: "switch:read", component: lazy(() => import("./pages/switch/ActiveCallsPage")) },
    ],
  },
  {
    id: "rating",
    label: "Rating",
    icon: Calculator,
    description: "Rate decks, plans and margin rules.",
    pages: [
      {
        id: "plans",
        label: "Rating Plans",
        path: "/rating/plans",
        icon: Calculator,
        permission: "rating:read",
        component: lazy(() => import("./pages/rating/RatingPlansPage")),
        details: [{ path: "/rating/plans/:planId", component: lazy(() => import("./pages/rating/RatingPlanDetailPage")) }],
      },
      { id: "codes", label: "Destinations", path: "/rating/destinations", icon: Waypoints, description: "Dial code tables and destination naming." },
    ],
  },
  {
    id: "routing",
    label: "Routing",
    icon: Route,
    description: "Routing plans, the explained route decision and FX rates.",
    pages: [
      {
        id: "plans",
        label: "Routing Plans",
        path: "/routing/plans",
        icon: Split,
        permission: "routing:read",
        component: lazy(() => import("./pages/routing/RoutingPlansPage")),
        details: [{ path: "/routing/plans/:planId", component: lazy(() => import("./pages/routing/RoutingPlanDetailPage")) }],
      },
      { id: "simulator", label: "Route Simulator", path: "/routing/simulator", icon: FlaskConical, permission: "routing:read", component: lazy(() => import("./pages/routing/SimulatorPage")) },
      { id: "fx", label: "FX Rates", path: "/routing/fx-rates", icon: ArrowRightLeft, permission: "routing:read", component: lazy(() => import("./pages/routing/FxRatesPage")) },
      { id: "quality", label: "Route Quality", path: "/routing/quality", icon: Activity, description: "ASR, ACD and PDD per vendor and destination." },
    ],
  },
  {
    id: "billing",
    label: "Billing",
    icon: Receipt,
    description: "CDRs, invoices and payments.",
    pages: [
      { id: "cdrs", label: "CDRs", path: "/billing/cdrs", icon: ScrollText, permission: "cdrs:read", component: lazy(() => import("./pages/cdrs/CdrsPage")) },
      { id: "rating-errors", label: "Rating Errors", path: "/billing/rating-errors", icon: TriangleAlert, permission: "cdrs:read", component: lazy(() => import("./pages/cdrs/RatingErrorsPage")) },
      {
        id: "invoices",
        label: "Invoices",
        path: "/billing/invoices",
        icon: Receipt,
        permission: "billing:read",
        component: lazy(() => import("./pages/billing/InvoicesPage")),
        details: [{ path: "/billing/invoices/:invoiceId", component: lazy(() => import("./pages/billing/InvoiceDetailPage")) }],
      },
      { id: "credit-notes", label: "Credit Notes", path: "/billing/credit-notes", icon: FileMinus, permission: "billing:read", component: lazy(() => import("./pages/billing/CreditNotesPage")) },
      { id: "statements", label: "Statements", path: "/billing/statements", icon: FileText, permission: "billing:read", component: lazy(() => import("./pages/billing/StatementsPage")) },
      { id: "netting", label: "Netting", path: "/billing/netting", icon: ArrowLeftRight, permission: "billing:read", component: lazy(() => import("./pages/billing/NettingPage")) },
      { id: "ledger", label: "Ledger", path: "/billing/ledger", icon: BookOpenCheck, permission: "ledger:read", component: lazy(() => import("./pages/ledger/LedgerPage")) },
      { id: "payments", label: "Payments", path: "/billing/payments", icon: Wallet, permission: "ledger:read", component: lazy(() => import("./pages/ledger/PaymentsPage")) },
      { id: "supplier-invoices", label: "Supplier Invoices", path: "/billing/supplier-invoices", icon: FileInput, permission: "reconciliation:read", component: lazy(() => import("./pages/reconciliation/SupplierInvoicesPage")) },
      {
        id: "reconciliation",
        label: "Reconciliation",
        path: "/billing/reconciliation",
        icon: FileSearch,
        permission: "reconciliation:read",
        component: lazy(() => import("./pages/reconciliation/ReconciliationRunsPage")),
        details: [{ path: "/billing/reconciliation/:runId", component: lazy(() => import("./pages/reconciliation/RunDetailPage")) }],
      },
      { id: "disputes", label: "Disputes", path: "/billing/disputes", icon: Gavel, permission: "reconciliation:read", component: lazy(() => import("./pages/reconciliation/DisputesPage")) },
      // The same page as Routing / FX Rates: invoices convert with these rates.
      { id: "billing-fx", label: "FX Rates", path: "/billing/fx-rates", icon: ArrowRightLeft, permission: "routing:read", component: lazy(() => import("./pages/routing/FxRatesPage")) },
      { id: "billing-settings", label: "Billing Settings", path: "/billing/settings", icon: SlidersHorizontal, permission: "billing:read", component: lazy(() => import("./pages/billing/BillingSettingsPage")) },
    ],
  },
  {
    id: "settings",
    label: "Settings",
    icon: Settings,
    description: "Users, API access and tenant branding.",
    pages: [
      { id: "users", label: "Users & Roles", path: "/settings/users", icon: Users, permission: "users:read", component: lazy(() => import("./pages/settings/UsersPage")) },
      { id: "api-keys", label: "API Keys", path: "/settings/api-keys", icon: KeyRound, permission: "api_keys:read", component: lazy(() => import("./pages/settings/ApiKeysPage")) },
      { id: "tenant", label: "Tenant Settings", path: "/settings/tenant", icon: Building2, permission: "tenant:read", component: lazy(() => import("./pages/settings/TenantSettingsPage")) },
    ],
  },
  {
    id: "system",
    label: "System",
    icon: Server,
    description: "Audit trail, background jobs, outgoing mail and deleted records.",
    pages: [
      { id: "audit", label: "Audit Log", path: "/system/audit", icon: ScrollText, permission: "audit:read", component: lazy(() => import("./pages/system/AuditLogPage")) },
      { id: "jobs", label: "Jobs", path: "/system/jobs", icon: ListChecks, permission: "jobs:read", component: lazy(() => import("./pages/system/JobsPage")) },
      { id: "mail", label: "Mail Outbox", path: "/system/mail", icon: Mail, permission: "mail:read", component: lazy(() => import("./pages/system/MailOutboxPage")) },
      { id: "recycle-bin", label: "Recycle Bin", path: "/system/recycle-bin", icon: Trash2, permission: "recycle_bin:read", component: lazy(() => import("./pages/system/RecycleBinPage")) },
      { id: "components", label: "Component Library", path: "/system/components", icon: Component, component: lazy(() => import("./pages/system/ComponentLibraryPage")) },
    ],
  },
];

export const API_DOCS = { label: "API documentation", href: "/api/docs", icon: BookOpen };

/** Module and page for a URL path (exact page match, else the longest matching prefix). */
export function findNav(pathname: string): { module: NavModule; page: NavPage } | null {
  const path = pathname.replace(/\/+$/, "") || "/";
  let best: { module: NavModule; page: NavPage } | null = null;
  for (const module of NAV) {
    for (const page of module.pages) {
      if (page.path === path) return { module, page };
      if (page.path !== "/" && path.startsWith(`${page.path}/`) && (!best || page.path.length > best.page.path.length)) best = { module, page };
    }
  }
  return best;
}

/** Navigation filtered to what the user may see (modules without visible pages are dropped). */
export function visibleNav(can: (p: Permission) => boolean): NavModule[] {
  return NAV.map((m) => ({ ...m, pages: m.pages.filter((p) => !p.permission || can(p.permission)) })).filter((m) => m.pages.length > 0);
}
