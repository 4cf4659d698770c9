/**
 * `npm run switch`: runs Kamailio as the platform's softswitch. Start the platform first
 * (`npm start`); this process connects to the same database, registers the switch,
 * writes its configuration and supervises Kamailio until stopped (Ctrl-C).
 */
import { loadConfig } from "../platform/config.js";
import { createPool } from "../platform/db/client.js";
import { runningEmbeddedPostgresUrl } from "../platform/db/embedded.js";
import { switchSettingsSchema } from "./kamailio/render.js";
import { kamailioInstalled, startSwitch } from "./kamailio/runner.js";

const config = loadConfig();
const settings = switchSettingsSchema.parse(process.env);
const log = (m: string) => console.log(`[switch] ${m}`);

if (!kamailioInstalled(settings.KAMAILIO_BIN)) {
  console.error(
    "Kamailio is not installed. On Debian/Ubuntu:\n" +
      "  sudo apt-get install kamailio kamailio-json-modules kamailio-utils-modules kamailio-extra-modules kamailio-postgres-modules sip-tester",
  );
  process.exit(1);
}
const databaseUrl = config.DATABASE_URL ?? runningEmbeddedPostgresUrl(config.DATA_DIR);
if (!databaseUrl) {
  console.error(`No platform database found: start the platform first (npm start), or set DATABASE_URL.`);
  process.exit(1);
}
const pool = createPool(databaseUrl, 2);
const running = await startSwitch({ pool, databaseUrl, settings, dataDir: config.DATA_DIR, log });
log(`asking ${settings.PLATFORM_URL} for route decisions; Ctrl-C to stop`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await running.stop();
  await pool.end();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
