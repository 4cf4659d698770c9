import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveReachableDataDir } from "./embedded.js";

const asRoot = typeof process.getuid === "function" && process.getuid() === 0;

describe("embedded PostgreSQL data dir", () => {
  it("as root, falls back, and says why, when a parent directory is not traversable by the postgres user", () => {
    if (!asRoot) {
      // Not root: PostgreSQL runs as us, so any directory we can reach is fine.
      expect(resolveReachableDataDir("/some/where", () => {})).toBe("/some/where");
      return;
    }
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "didtron-home-"));
    fs.chmodSync(base, 0o700);
    const logs: string[] = [];
    const chosen = resolveReachableDataDir(path.join(base, "clone", ".data"), (m) => logs.push(m));
    expect(chosen.startsWith("/var/tmp/didtron-")).toBe(true);
    expect(logs.join("\n")).toContain(`${base} is not world-executable`);
    fs.chmodSync(base, 0o755);
    expect(resolveReachableDataDir(path.join(base, "clone", ".data"), (m) => logs.push(m))).toBe(path.join(base, "clone", ".data"));
    fs.rmSync(base, { recursive: true });
  });
});
