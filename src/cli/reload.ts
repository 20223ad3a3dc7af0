/**
 * Live configuration for `concord serve`: on SIGHUP, or when the config file or the tokens file
 * changes, the settings are resolved again (flags and environment as at start) and the live ones
 * applied. A file that does not parse or check keeps the running configuration, and the log
 * says why; a changed setting that needs a restart is named and kept. Internal module.
 */
import { unwatchFile, watchFile, type Stats } from "node:fs";
import { configFilePath, resolveConfig, type Config, type ConfigReload } from "../config.js";
import type { Logger } from "../logger.js";

export interface ReloadOptions {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** The running configuration. */
  current(): Config;
  /** Apply a resolved configuration; rejects, changing nothing, when it cannot be used. */
  apply(next: Config): Promise<ConfigReload>;
  /** Also done on SIGHUP: reread the listeners' TLS files. */
  reloadTls?(): Promise<void>;
  /** How often the watched files are checked, ms. Default 2000. */
  readonly intervalMs?: number;
}

export interface ConfigWatcher {
  /** Reload now (what SIGHUP does); resolves once applied or refused. */
  reload(reason: string): Promise<void>;
  /** Stop listening for SIGHUP and stop watching files. Idempotent. */
  stop(): void;
}

export function watchConfig(options: ReloadOptions): ConfigWatcher {
  const { logger } = options;
  const intervalMs = options.intervalMs ?? 2000;
  let watched: string[] = [];
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const onFileChange = (current: Stats, previous: Stats) => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size) void reload("a watched file changed");
  };
  /** Watch the files the running configuration names (they may change with a reload). */
  const rewatch = () => {
    const config = options.current();
    const configPath = configFilePath(options);
    const paths = [configPath, config.tokensFile].filter((p): p is string => p !== undefined);
    for (const path of watched) if (!paths.includes(path)) unwatchFile(path, onFileChange);
    for (const path of paths) if (!watched.includes(path)) watchFile(path, { interval: intervalMs, persistent: false }, onFileChange);
    watched = paths;
  };

  async function apply(reason: string): Promise<void> {
    let next: Config;
    try {
      next = resolveConfig({ argv: [...options.argv], env: options.env });
    } catch (error) {
      logger.error("configuration not reloaded: keeping the running one", { reason, error: (error as Error).message });
      return;
    }
    try {
      const result = await options.apply(next);
      if (result.needRestart.length > 0) logger.warn("changed settings need a restart to apply; keeping their running values", { settings: result.needRestart });
      logger.info("configuration reloaded", { reason, applied: result.applied });
    } catch (error) {
      logger.error("configuration not reloaded: keeping the running one", { reason, error: (error as Error).message });
    }
    if (options.reloadTls) await options.reloadTls().catch((error: unknown) => logger.warn("tls files not reloaded; serving the previous ones", { error: (error as Error).message }));
    if (!stopped) rewatch();
  }

  function reload(reason: string): Promise<void> {
    // One reload at a time, in order: two quick edits end with the last one applied.
    running = running.then(() => apply(reason));
    return running;
  }

  const onHangup = () => void reload("SIGHUP");
  process.on("SIGHUP", onHangup);
  rewatch();
  return {
    reload,
    stop() {
      if (stopped) return;
      stopped = true;
      process.off("SIGHUP", onHangup);
      for (const path of watched) unwatchFile(path, onFileChange);
      watched = [];
    },
  };
}
