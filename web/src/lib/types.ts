/** Wire types of the DIDTron API (timestamps are ISO-8601 strings). */

// Roles and permissions are the server's own lists (pure constants), so the two cannot drift.
import type { Role } from "../../../server/src/identity/permissions";
export { ROLES, PORTAL_ROLES, PERMISSIONS, type Role, type Permission } from "../../../server/src/identity/permissions";

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
