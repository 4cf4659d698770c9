import type pg from "pg";
import { inTransaction } from "./platform/db/client.js";
import { newId } from "./platform/ids.js";
import { systemActor } from "./audit/audit.js";
import { and, eq } from "drizzle-orm";
import { tenants } from "./tenancy/schema.js";
import { users } from "./identity/schema.js";
import { createUser } from "./identity/users.js";
import { notify } from "./notifications/notifications.js";
import type { Role } from "./identity/permissions.js";
import type { JobQueue } from "./platform/jobs/boss.js";
import { seedDemoCarriers } from "./carriers/seed.js";
import { resetReleaseCauses } from "./carriers/release-causes.js";
import { seedDemoRouting } from "./routing/seed.js";
import { seedDemoBilling } from "./billing/seed.js";

export const DEMO_PASSWORD = "didtron-demo";
export const DEMO_SUPER_ADMIN = "super@didtron.local";

const FIRST = ["Ana", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jon", "Kemal", "Lena", "Mo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vik"];
const LAST = ["Okafor", "Silva", "Novak", "Hughes", "Tanaka", "Haddad", "Kowalski", "Mensah", "Larsen", "Reyes"];

/**
 * First-run demo data: two tenants (so isolation can be seen and tested), a super
 * admin, one user per staff role, enough users to page through, and a carrier
 * hierarchy (customers, suppliers, a bilateral carrier, their trunks and services),
 * with rate decks, FX rates and a routing plan the Route Simulator can show.
 * Returns false when the database already has tenants.
 */
export async function seedDemoIfEmpty(pool: pg.Pool, jobs: JobQueue): Promise<boolean> {
  return inTransaction(pool, async (tx) => {
    await tx.execute("SELECT pg_advisory_xact_lock(424242)");
    const existing = await tx.select({ id: tenants.id }).from(tenants).limit(1);
    if (existing.length) return false;
    const demoId = newId();
    const acmeId = newId();
    await tx.insert(tenants).values([
      { id: demoId, slug: "demo", name: "DIDTron Demo Carrier", brandName: "DIDTron", accentColor: "#2563EB", timeZone: "UTC" },
      { id: acmeId, slug: "acme", name: "Acme Wholesale Voice", brandName: "Acme Voice", accentColor: "#0891B2", timeZone: "Europe/London" },
    ]);
    const demo = systemActor(demoId, "demo seed");
    const acme = systemActor(acmeId, "demo seed");
    const mk = (actor: typeof demo, email: string, name: string, role: Role) => createUser(tx, actor, { email, name, role, password: DEMO_PASSWORD });
    await mk(demo, DEMO_SUPER_ADMIN, "Platform Super Admin", "super_admin");
    await mk(demo, "admin@demo.didtron.local", "Dana Admin", "admin");
    await mk(demo, "noc@demo.didtron.local", "Nick NOC", "noc");
    await mk(demo, "billing@demo.didtron.local", "Bea Billing", "billing");
    await mk(demo, "sales@demo.didtron.local", "Sal Sales", "sales");
    await mk(demo, "readonly@demo.didtron.local", "Rita Readonly", "readonly");
    const staffRoles: Role[] = ["noc", "billing", "sales", "readonly"];
    for (let i = 0; i < 36; i++) {
      const first = FIRST[i % FIRST.length]!;
      const last = LAST[(i * 7) % LAST.length]!;
      await mk(demo, `${first}.${last}.${i}@demo.didtron.local`.toLowerCase(), `${first} ${last}`, staffRoles[i % staffRoles.length]!);
    }
    await mk(acme, "admin@acme.example", "Arthur Acme", "admin");
    await mk(acme, "noc@acme.example", "Nora Acme", "noc");
    await resetReleaseCauses(tx, demo);
    await resetReleaseCauses(tx, acme);
    const sales = await tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, demoId), eq(users.role, "sales"))).orderBy(users.email).limit(3);
    const { portalCarrierId } = await seedDemoCarriers(tx, demo, acme, jobs, sales.map((u) => u.id));
    await seedDemoRouting(tx, demo, jobs);
    await seedDemoBilling(tx, demo);
    await createUser(tx, demo, { email: "customer@demo.didtron.local", name: "Cora Customer", role: "customer", password: DEMO_PASSWORD, carrierId: portalCarrierId });
    await notify(tx, { tenantId: demoId, title: "Welcome to DIDTron", body: "Your console is ready. Start with Settings → Branding.", link: "/settings/tenant" });
    await notify(tx, { tenantId: acmeId, title: "Welcome to Acme Voice", body: "Your console is ready." });
    return true;
  });
}
