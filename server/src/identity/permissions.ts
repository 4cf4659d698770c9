/**
 * Role → permission matrix. The server checks permissions on every route; the web
 * app only uses them to hide what would be refused anyway.
 */
export const ROLES = ["super_admin", "admin", "noc", "billing", "sales", "readonly", "customer", "carrier"] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ["super_admin", "admin", "noc", "billing", "sales", "readonly"] as const satisfies readonly Role[];
export const PORTAL_ROLES = ["customer", "carrier"] as const satisfies readonly Role[];

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
  "billing:read",
  "billing:write",
  "routing:read",
  "routing:write",
  "switch:read",
  "switch:write",
  "mail:read",
  "mail:write",
  "reconciliation:read",
  "reconciliation:write",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL_STAFF_READ: Permission[] = ["tenant:read", "jobs:read", "carriers:read", "rating:read", "cdrs:read", "ledger:read", "billing:read", "routing:read", "switch:read", "reconciliation:read"];

const matrix: Record<Role, readonly Permission[]> = {
  super_admin: PERMISSIONS,
  admin: PERMISSIONS.filter((p) => p !== "tenants:switch"),
  noc: [...ALL_STAFF_READ, "jobs:write", "audit:read", "users:read", "carriers:write", "routing:write", "switch:write", "mail:read"],
  // Billing clerks record payments and post corrections.
  // Billing clerks also read and resend the mail (invoices, statements, credit alerts).
  billing: [...ALL_STAFF_READ, "audit:read", "rating:write", "ledger:write", "cdrs:write", "mail:read", "mail:write", "billing:write", "reconciliation:write"],
  // Account managers keep their carriers' details, contacts and alerts up to date.
  sales: [...ALL_STAFF_READ, "carriers:write", "rating:write"],
  readonly: [...ALL_STAFF_READ, "users:read", "audit:read", "api_keys:read", "recycle_bin:read", "mail:read"],
  // Portal users reach only /api/portal/* and their own session; no staff permission.
  customer: [],
  carrier: [],
};

export const isStaffRole = (role: Role): boolean => (STAFF_ROLES as readonly Role[]).includes(role);
export const permissionsOf = (role: Role): readonly Permission[] => matrix[role];
export const roleHas = (role: Role, permission: Permission): boolean => matrix[role].includes(permission);
