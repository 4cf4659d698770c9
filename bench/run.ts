/**
 * `npm run bench`: every engine benchmark, one after another. Each prints its figures
 * next to a baseline measured in the same run, as a ratio. Not a test: nothing asserts.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const benches = ["rating/engine.bench.ts", "rating/sql.bench.ts", "routing/routing.bench.ts", "ledger/ledger.bench.ts", "cdrs/cdrs.bench.ts", "reconciliation/reconciliation.bench.ts", "switch/switch.bench.ts"];
const only = process.argv[2];
let failed = 0;
for (const b of benches) {
  if (only && !b.includes(only)) continue;
  console.log(`\n━━ ${b} ━━`);
  // The routing bench hosts the server: it runs with the server's young-generation size (see the start scripts).
  const flags = b.startsWith("routing/") ? ["--max-semi-space-size=64"] : [];
  const r = spawnSync(process.execPath, [...flags, "--expose-gc", "--import", "tsx", path.join(here, b)], { stdio: "inherit" });
  if (r.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
