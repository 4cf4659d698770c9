/**
 * `npm run ledger:check`: checks the ledger invariants of every tenant (see check.ts)
 * and exits non-zero if one is broken. Uses DATABASE_URL, else the embedded PostgreSQL
 * in DATA_DIR (the running server's, or started for the check).
 */
import { loadConfig } from "../platform/config.js";
import { createDb, createPool } from "../platform/db/client.js";
import { runningEmbeddedPostgresUrl, startEmbeddedPostgres, type EmbeddedDatabase } from "../platform/db/embedded.js";
import { formatMoney } from "../platform/money.js";
import { checkLedgerInvariants } from "./check.js";

const config = loadConfig();
let embedded: EmbeddedDatabase | null = null;
let url = config.DATABASE_URL ?? runningEmbeddedPostgresUrl(config.DATA_DIR);
if (!url) {
  embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, log: (m) => console.error(m) });
  url = embedded.url;
}
const pool = createPool(url, 2);
try {
  const { rows } = await pool.query("SELECT to_regclass('ledger_transfers') IS NOT NULL AS ready");
  if (!rows[0].ready) throw new Error("this database has no ledger yet: start the server once to migrate it");
  const started = Date.now();
  const report = await checkLedgerInvariants(createDb(pool), { tenantId: null });
  const totals = await pool.query<{ currency: string; debits: string; credits: string }>(
    "SELECT currency, sum(debits_posted_micros)::text AS debits, sum(credits_posted_micros)::text AS credits FROM ledger_accounts GROUP BY currency ORDER BY currency",
  );
  console.log(`Ledger check: ${report.accounts} accounts, ${report.transfers} transfers (${Date.now() - started} ms)`);
  for (const t of totals.rows) console.log(`  ${t.currency}: Σ posted debits ${formatMoney(BigInt(t.debits))}, Σ posted credits ${formatMoney(BigInt(t.credits))}`);
  for (const p of report.problems) {
    console.log(`✗ ${p.rule}`);
    for (const e of p.examples) console.log(`    ${e}`);
  }
  console.log(report.ok ? "✓ all ledger invariants hold" : `✗ ${report.problems.length} invariant(s) broken`);
  process.exitCode = report.ok ? 0 : 1;
} catch (err) {
  console.error(`✗ ledger check failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
} finally {
  await pool.end();
  await embedded?.stop();
}
