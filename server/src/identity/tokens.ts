import crypto from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's recommended minimums (19 MiB, t=2, p=1).
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON);
export const verifyPassword = (passwordHash: string, password: string) => verify(passwordHash, password).catch(() => false);

/** A hash of a password nobody has, to spend equal time when the e-mail is unknown. */
let decoyHash: Promise<string> | null = null;
export const decoy = () => (decoyHash ??= hashPassword(crypto.randomBytes(16).toString("hex")));

export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString("base64url");
/** Session and API-key secrets are high-entropy, so a fast hash is enough to store them. */
export const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}
