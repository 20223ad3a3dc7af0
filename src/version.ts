/**
 * Concord's version, read once from package.json by walking up from this module (so src/ and
 * dist/src/ alike find it). Internal module.
 */
import { readFileSync } from "node:fs";

let cached: string | undefined;

export function packageVersion(): string {
  if (cached !== undefined) return cached;
  for (let dir = new URL(".", import.meta.url); ; dir = new URL("..", dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "concord" && pkg.version) return (cached = pkg.version);
    } catch {
      // No package.json at this level; keep walking up.
    }
    if (dir.pathname === "/") return (cached = "unknown");
  }
}
