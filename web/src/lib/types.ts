/** Wire types of the DIDTron API (timestamps are ISO-8601 strings). */

export const ROLES = ["super_admin", "admin", "noc", "billing", "sales", "readonly", "customer", "carrier"] as const;
export type Role = (typeof ROLES)[number];
export const PORTAL_ROLES: readonly Role[] = ["customer", "carrier"];

export const PERMISSIONS = [
  "tenant:read",
  "tenant:write",
  "users:read",
  "users:write",
  "api_keys:read",
  "api_keys:write",
  "audit:read",
  "jobs:read",
  "jobs:write",
  "recycle_bin:read",
  "recycle_bin:write",
  "tenants:switch",
  "carriers:read",
  "carriers:write",
  "rating:read",
  "rating:write",
  "cdrs:read",
  "cdrs:write",
  "ledger:read",
  "ledger:write",
  "routing:read",
  "routing:write",
  "switch:read",
  "switch:write",
  "mail:read",
  "mail:write",
  "billing:read",
  "billing:write",
  "reconciliation:read",
  "reconciliation:write",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  brandName: string;
  logoDataUrl: string | null;
  accentColor: string;
  timeZone: string;
  retentionDays: number;
  createdAt: string;
  updatedAt: string;
}

export interface Me {
  user: { id: string; email: string; name: string; role: Role; carrierId: string | null; homeTenantId: string };
  tenant: Tenant;
  /** Known permissions plus any the server adds later. */
  permissions: string[];
  csrfToken: string;
  tenants: { id: string; name: string; slug: string }[];
}

export interface User {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  carrierId: string | null;
  isActive: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RolesResponse {
  roles: { role: Role; staff: boolean; permissions: string[] }[];
  permissions: string[];
}

export interface ApiKey {
  id: string;
  name: string;
  tokenPrefix: string;
  scopes: string[];
  createdByUserId: string;
  createdByName: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export type ActorType = "user" | "api_key" | "system";

export interface AuditEvent {
  id: string;
  actorType: ActorType;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  changes: unknown;
  requestId: string | null;
  ip: string | null;
  createdAt: string;
}

export const JOB_STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface Job {
  id: string;
  queue: string;
  state: JobState;
  percent: number;
  message: string | null;
  retryCount: number;
  retryLimit: number;
  createdOn: string;
  startedOn: string | null;
  completedOn: string | null;
  error: string | null;
  data: unknown;
}

export interface QueueSummary {
  queue: string;
  counts: Partial<Record<JobState, number>>;
}

export interface RecycleItem {
  entityType: string;
  label: string;
  id: string;
  title: string;
  deletedAt: string;
  purgeAfter: string;
}

export interface Notification {
  id: string;
  severity: string;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface SearchHit {
  kind: string;
  id: string;
  title: string;
  subtitle: string | null;
  link: string;
}
