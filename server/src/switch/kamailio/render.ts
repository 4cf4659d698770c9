import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/**
 * The Kamailio configuration: `kamailio.cfg.tmpl` with `{{NAME}}` placeholders filled from
 * the switch settings. Rendering is pure and refuses a template naming a value it lacks
 * (or a value it was given but the template never uses), so a typo cannot ship.
 */
export const TEMPLATE_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), "kamailio.cfg.tmpl");

const port = z.coerce.number().int().min(1).max(65535);
export const switchSettingsSchema = z.object({
  SWITCH_ID: z.string().regex(/^[a-z0-9-]{1,32}$/).default("kam1"),
  SWITCH_SIP_ADDRESS: z.ipv4().default("127.0.0.1"),
  SWITCH_SIP_PORT: port.default(5060),
  SWITCH_RPC_PORT: port.default(5071),
  /** Where Kamailio asks for route decisions. */
  PLATFORM_URL: z.url().default("http://127.0.0.1:3000"),
  /** SIP worker processes. Each blocks on the platform's HTTP decision, so calls decided at once ≤ children (bench/switch). */
  SWITCH_CHILDREN: z.coerce.number().int().min(1).max(64).default(16),
  /**
   * Kamailio's shared memory (-m, MB): every transaction (kept ~5 s after it ends) and
   * dialog lives there, with the decision's JSON; the 64 MB default runs out near 400 CPS.
   */
  SWITCH_SHM_MB: z.coerce.number().int().min(64).max(8192).default(512),
  /** Calls are cut after this long unless the decision says less. */
  SWITCH_MAX_CALL_S: z.coerce.number().int().min(60).max(86_400).default(7200),
  /** No final answer from a supplier in this long: the attempt fails with 408 and the next route is tried. */
  SWITCH_RING_TIMEOUT_S: z.coerce.number().int().min(2).max(300).default(60),
  KAMAILIO_BIN: z.string().default("kamailio"),
  KAMAILIO_MODULES: z.string().default("/usr/lib/x86_64-linux-gnu/kamailio/modules/"),
  SWITCH_DEBUG: z.coerce.number().int().min(-3).max(4).default(1),
});
export type SwitchSettings = z.infer<typeof switchSettingsSchema>;

export function renderTemplate(template: string, vars: Record<string, string | number>): string {
  const used = new Set<string>();
  const out = template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_m, name: string) => {
    if (!(name in vars)) throw new Error(`Kamailio template needs {{${name}}}, which was not given`);
    used.add(name);
    return String(vars[name]);
  });
  const unused = Object.keys(vars).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`Kamailio template does not use ${unused.join(", ")}`);
  return out;
}

/** sqlops wants postgres://user:pass@host:port/db with no query string. */
export function sqlopsUrl(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  return `postgres://${u.username}:${u.password}@${u.hostname}:${u.port || 5432}${u.pathname}`;
}

export interface RenderInput {
  settings: SwitchSettings;
  token: string;
  databaseUrl: string;
  runDir: string;
}

/** The configuration text and its generation (a hash of it, shown in the console). */
export function renderKamailioConfig(input: RenderInput, template = fs.readFileSync(TEMPLATE_PATH, "utf8")): { text: string; generation: string } {
  const s = input.settings;
  const vars = {
    DEBUG: s.SWITCH_DEBUG,
    CHILDREN: s.SWITCH_CHILDREN,
    SIP_ADDRESS: s.SWITCH_SIP_ADDRESS,
    SIP_PORT: s.SWITCH_SIP_PORT,
    RPC_PORT: s.SWITCH_RPC_PORT,
    MODULES_DIR: s.KAMAILIO_MODULES,
    RUN_DIR: input.runDir,
    FR_TIMER_MS: 2000,
    FR_INV_TIMER_MS: s.SWITCH_RING_TIMEOUT_S * 1000,
    PLATFORM_URL: s.PLATFORM_URL.replace(/\/+$/, ""),
    MAX_CALL_S: s.SWITCH_MAX_CALL_S,
    DB_URL: sqlopsUrl(input.databaseUrl),
    SWITCH_ID: s.SWITCH_ID,
    SWITCH_TOKEN: input.token,
  };
  // The generation names the configuration without the secret in it.
  const generation = crypto.createHash("sha256").update(renderTemplate(template, { ...vars, GENERATION: "", SWITCH_TOKEN: "" })).digest("hex").slice(0, 12);
  return { text: renderTemplate(template, { ...vars, GENERATION: generation }), generation };
}
