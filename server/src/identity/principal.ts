import type { Actor } from "../audit/audit.js";
import type { Permission, Role } from "./permissions.js";
import { roleHas, isStaffRole } from "./permissions.js";

export type Principal =
  | {
      kind: "user";
      userId: string;
      tenantId: string;
      homeTenantId: string;
      role: Role;
      email: string;
      name: string;
      carrierId: string | null;
      sessionTokenHash: string;
      csrfToken: string;
    }
  | {
      kind: "api_key";
      apiKeyId: string;
      tenantId: string;
      name: string;
      scopes: readonly Permission[];
    };

export function can(p: Principal, permission: Permission): boolean {
  return p.kind === "user" ? roleHas(p.role, permission) : p.scopes.includes(permission);
}

export const isStaff = (p: Principal): boolean => p.kind === "api_key" || isStaffRole(p.role);

export function actorOf(p: Principal, req: { id: string; ip: string }): Actor {
  return p.kind === "user"
    ? { tenantId: p.tenantId, type: "user", id: p.userId, label: p.email, requestId: req.id, ip: req.ip }
    : { tenantId: p.tenantId, type: "api_key", id: p.apiKeyId, label: `api key ${p.name}`, requestId: req.id, ip: req.ip };
}
