import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Repository root (two levels above server/src/platform, or server/dist/platform). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(path.join(repoRoot, ".data")),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  COOKIE_SECURE: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  SEED_DEMO: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /** With SEED_DEMO on a fresh database: also two months of demo calls, rated, posted and invoiced. */
  SEED_DEMO_TRAFFIC: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  WEB_DIST: z.string().default(path.join(repoRoot, "web", "dist")),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** smtp://user:pass@host:port; unset: mail stays in the outbox (status outbox_only). */
  SMTP_URL: z.string().url().optional(),
  /** Sender address of outgoing mail; the display name is the tenant's brand. */
  MAIL_FROM: z.string().email().default("noreply@didtron.local"),
  /** Open Exchange Rates app id; unset: FX rates are entered by hand only. */
  OXR_APP_ID: z.string().min(1).optional(),
  OXR_URL: z.string().url().default("https://openexchangerates.org/api/latest.json"),
});

export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
