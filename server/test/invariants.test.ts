import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestContext } from "./harness.js";

/** The invariants ARCHITECTURE.md promises, checked against the code and the live schema. */
const srcRoot = path.resolve(import.meta.dirname, "../src");
const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
const rel = (p: string) => path.relative(srcRoot, p);

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe("invariants", () => {
  it("no tenant id parameter is optional anywhere in the server", () => {
    const offenders = sourceFiles(srcRoot).filter((f) => /tenantId\?\s*:/.test(fs.readFileSync(f, "utf8")));
    expect(offenders.map(rel)).toEqual([]);
  });

  it("only the audit module writes audit_events", () => {
    const offenders = sourceFiles(srcRoot)
      .filter((f) => !rel(f).startsWith("audit/"))
      .filter((f) => /insert\(auditEvents\)|INSERT INTO audit_events|update\(auditEvents\)|delete\(auditEvents\)/i.test(fs.readFileSync(f, "utf8")));
    expect(offenders.map(rel)).toEqual([]);
  });

  it("every business table carries a NOT NULL tenant_id", async () => {
    // Tables that are deliberately not per-tenant, each with its reason.
    const exempt: Record<string, string> = {
      tenants: "the tenant itself",
      login_attempts: "pre-authentication, keyed by e-mail and IP",
      job_progress: "platform-wide jobs have no tenant (null), shown to super admins only",
      switch_nodes: "a softswitch serves every tenant (it tells them apart by source address)",
    };
    const r = await t.pool.query<{ table_name: string; is_nullable: string | null }>(`
      SELECT t.table_name, c.is_nullable
      FROM information_schema.tables t
      LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'tenant_id'
      WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'`);
    const bad = r.rows.filter((row) => !(row.table_name in exempt) && row.is_nullable !== "NO").map((row) => row.table_name);
    expect(bad).toEqual([]);
    expect(r.rows.length).toBeGreaterThanOrEqual(8);
  });

  it("every API route except the public ones refuses an anonymous caller", async () => {
    const publicRoutes = new Set(["GET /api/health", "GET /api/ready", "POST /api/auth/login"]);
    const spec = (t.app as unknown as { swagger(): { paths: Record<string, Record<string, unknown>> } }).swagger();
    const routes = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), p] as const));
    expect(routes.length).toBeGreaterThan(25);
    const unguarded: string[] = [];
    for (const [method, p] of routes) {
      const key = `${method} ${p}`;
      if (publicRoutes.has(key) || p.startsWith("/api/docs")) continue;
      const url = p.replace(/\{[^}]+\}/g, "0190aaaa-0000-7000-8000-000000000000");
      const res = await t.app.inject({ method: method as "GET", url, payload: method === "GET" ? undefined : {} });
      if (res.statusCode !== 401) unguarded.push(`${key} → ${res.statusCode}`);
    }
    expect(unguarded).toEqual([]);
  });

  it("OpenAPI is served at /api/docs with every route and its schemas", async () => {
    const html = await t.app.inject({ method: "GET", url: "/api/docs/" });
    expect(html.statusCode).toBe(200);
    const json = await t.app.inject({ method: "GET", url: "/api/docs/json" });
    const doc = json.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths["/api/users"].post.requestBody).toBeDefined();
    expect(doc.paths["/api/users/{id}"].patch).toBeDefined();
  });
});
