/**
 * TLS of the listeners: the certificate, key and client CA files, read at start and again when
 * they change (a renewed certificate is served without a restart). Internal module.
 */
import { readFileSync, unwatchFile, watchFile } from "node:fs";
import { createSecureContext, type SecureContextOptions } from "node:tls";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";

type TlsFiles = Pick<Config, "tlsCert" | "tlsKey" | "tlsClientCa">;

export interface ListenerTls {
  /** For `https.createServer` and `http2.createSecureServer`. */
  readonly options: SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean };
}

/** A server whose secure context can be replaced. */
interface SecureServer {
  setSecureContext(options: SecureContextOptions): void;
}

/**
 * Read the files (small, and read at start or on a change only) and check they make a secure context (a key that fits the certificate, PEM that
 * parses), so that a bad file is refused here rather than on the first handshake.
 */
export function loadListenerTls(files: TlsFiles): ListenerTls {
  const read = (path: string, flag: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`cannot read ${flag} ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  const cert = read(files.tlsCert!, "--tls-cert");
  const key = read(files.tlsKey!, "--tls-key");
  const ca = files.tlsClientCa === undefined ? undefined : read(files.tlsClientCa, "--tls-client-ca");
  const context: SecureContextOptions = { cert, key, ...(ca ? { ca } : {}) };
  try {
    createSecureContext(context);
  } catch (err) {
    throw new Error(`--tls-cert and --tls-key do not make a usable TLS identity: ${(err as Error).message}`, { cause: err });
  }
  // Client certificates are asked for, not required: a caller may authenticate with a token
  // instead, and one whose certificate does not verify is refused by authentication, not by a
  // failed handshake that tells it nothing.
  return { options: { ...context, requestCert: ca !== undefined, rejectUnauthorized: false } };
}

/**
 * Poll the files every `intervalMs` (polling survives the file being replaced, as a renewal or a
 * Kubernetes secret update does) and give the servers the new context when one changed.
 */
export function watchListenerTls(
  files: TlsFiles,
  servers: readonly SecureServer[],
  options: { logger: Logger; intervalMs: number },
): { reload(): Promise<void>; stop(): void } {
  const { logger } = options;
  const paths = [files.tlsCert, files.tlsKey, files.tlsClientCa].filter((p): p is string => p !== undefined);
  let running: Promise<void> = Promise.resolve();
  const reload = (): Promise<void> => {
    // One reload at a time: a certificate and its key usually change together.
    running = running.catch(() => undefined).then(() => {
      const tls = loadListenerTls(files);
      for (const server of servers) server.setSecureContext(tls.options);
      logger.info("tls files reloaded", { cert: files.tlsCert });
    });
    return running;
  };
  const onChange = (current: { mtimeMs: number }, previous: { mtimeMs: number }) => {
    if (current.mtimeMs === previous.mtimeMs) return;
    reload().catch((error: unknown) => logger.warn("tls files changed but cannot be used; serving the previous ones", { error: (error as Error).message }));
  };
  for (const path of paths) watchFile(path, { interval: options.intervalMs, persistent: false }, onChange);
  return {
    reload,
    stop() {
      for (const path of paths) unwatchFile(path, onChange);
    },
  };
}
