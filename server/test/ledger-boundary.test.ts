import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Invariant: only server/src/ledger writes the ledger's tables (the database refuses updates and deletes of transfers anyway). */
const srcRoot = path.resolve(import.meta.dirname, "../src");
const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
const WRITES = /\b(insert|update|delete)\(\s*(ledgerAccounts|ledgerTransfers|payments)\s*\)|\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+"?(ledger_accounts|ledger_transfers|payments)\b/i;

describe("ledger boundary", () => {
  it("only the ledger module writes ledger_accounts, ledger_transfers and payments", () => {
    const offenders = sourceFiles(srcRoot)
      .filter((f) => !path.relative(srcRoot, f).startsWith(`ledger${path.sep}`))
      .filter((f) => WRITES.test(fs.readFileSync(f, "utf8")));
    expect(offenders.map((f) => path.relative(srcRoot, f))).toEqual([]);
  });

  it("the pattern catches the ways a write could be spelled", () => {
    for (const s of ["tx.insert(ledgerTransfers)", "db.update( ledgerAccounts )", "INSERT INTO ledger_transfers (", "update ledger_accounts set", 'DELETE FROM "payments"', "truncate ledger_transfers"]) expect([s, WRITES.test(s)]).toEqual([s, true]);
    for (const s of ["FROM ledger_transfers t", "JOIN ledger_accounts a", "tx.select().from(payments)"]) expect([s, WRITES.test(s)]).toEqual([s, false]);
  });
});
