/**
 * The web console's files, served on the HTTP port beside the RPCs it calls: `/` is its page,
 * `/console/<file>` its script, styles and source maps, all from the folder that
 * `make build` (tools/build-console.mjs) bundles `console/` into. Internal module.
 *
 * Files are read at each request, so a console built after the coordinator started is served
 * without a restart. The script and styles have a content hash in their names and are cached
 * for good; the page is revalidated every time, so a new build is picked up at the next load.
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, extname, join, relative, resolve, sep, isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";
import { HttpError, type HttpRoute, type HttpRouteResponse } from "./http-routes.js";

export interface ConsoleRoutesOptions {
  /**
   * The built console: a folder holding `index.html` and the assets it names. Default:
   * `dist/console` of this checkout, found from this module whether it runs from `src/`
   * (tsx, vitest) or from `dist/src/` (after tsc).
   */
  dir?: string;
}

/** Where assets are served from; the page names them so (tools/build-console.mjs). */
const assetPrefix = "/console/";

const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

// Everything the page uses comes from this origin: a stray external reference fails loudly.
const pagePolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** `GET /` (the page, or 503 when the console was not built) and `GET /console/<file>`. */
export function consoleRoutes(options: ConsoleRoutesOptions = {}): HttpRoute[] {
  const dir = resolve(options.dir ?? defaultConsoleDir());
  return [
    {
      methods: ["GET", "HEAD"],
      path: "/",
      // The page and its files hold no data: it asks for a token and sends it with its API calls.
      access: "open",
      async handle(): Promise<HttpRouteResponse> {
        const page = await readOptional(join(dir, "index.html"));
        if (page === undefined) {
          return {
            status: 503,
            headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
            body: `The web console is not built (no ${join(dir, "index.html")}): run \`make build\`, then reload.\n`,
          };
        }
        return {
          headers: {
            "content-type": contentTypes[".html"]!,
            "cache-control": "no-cache",
            "content-security-policy": pagePolicy,
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
          },
          body: page,
        };
      },
    },
    {
      methods: ["GET", "HEAD"],
      path: assetPrefix,
      access: "open",
      prefix: true,
      async handle(request): Promise<HttpRouteResponse> {
        const file = assetPath(dir, request.path.slice(assetPrefix.length));
        const bytes = await readOptional(file);
        if (bytes === undefined) throw new HttpError(404, "not_found", `no console file ${request.path}`);
        return {
          headers: {
            "content-type": contentTypes[extname(file).toLowerCase()] ?? "application/octet-stream",
            // Hashed names (console-3F2A….js) never change content; anything else is revalidated.
            "cache-control": /-[A-Z0-9]{8,}\.[a-z]+(\.map)?$/.test(basename(file)) ? "public, max-age=31536000, immutable" : "no-cache",
            "x-content-type-options": "nosniff",
          },
          body: bytes,
        };
      },
    },
  ];
}

/** `dist/console` of this checkout: this module is `src/server/` or `dist/src/server/`. */
function defaultConsoleDir(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
  return basename(root) === "dist" ? join(root, "console") : join(root, "dist", "console");
}

/** The file a request names inside `dir`; a name leaving it (`..`, an absolute path, a NUL) is refused. */
function assetPath(dir: string, encoded: string): string {
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    throw new HttpError(400, "invalid_argument", "path: malformed percent-encoding");
  }
  const file = resolve(dir, name);
  const inside = relative(dir, file);
  if (name.includes("\0") || name.includes("\\") || isAbsolute(name) || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new HttpError(403, "permission_denied", "path: outside the console folder");
  }
  return file;
}

/** The file's bytes, or undefined when there is no such file (a folder is no file either). */
async function readOptional(file: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return undefined;
    throw err;
  }
}
