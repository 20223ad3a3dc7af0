/**
 * The files of `--branch-ca`, `--branch-client-cert` and `--branch-client-key`, read once at
 * start and checked, so a missing or broken one stops the start naming its setting instead of
 * failing every TLS branch call. Internal module.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import type { Config } from "../config.js";
import type { BranchTls } from "../protocol/index.js";

/** The PEM texts of the branch TLS settings; undefined when none is set. Throws naming the setting of a file that cannot be read or used. */
export function loadBranchTls(config: Pick<Config, "branchCa" | "branchClientCert" | "branchClientKey">): BranchTls | undefined {
  const read = (path: string | undefined, setting: string): string | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      throw new Error(`${setting}: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
  const ca = read(config.branchCa, "--branch-ca");
  const cert = read(config.branchClientCert, "--branch-client-cert");
  const key = read(config.branchClientKey, "--branch-client-key");
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  const check = (settings: string, build: () => unknown) => {
    try {
      build();
    } catch (error) {
      throw new Error(`${settings}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
  if (ca !== undefined) {
    check("--branch-ca (a PEM bundle of CA certificates)", () => {
      // A secure context takes a file without any certificate in silence: it would trust nothing more.
      const certificates = ca.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      if (certificates.length === 0) throw new Error(`no PEM certificate in ${config.branchCa}`);
      for (const certificate of certificates) new X509Certificate(certificate);
      createSecureContext({ ca });
    });
  }
  if (cert !== undefined || key !== undefined) check("--branch-client-cert and --branch-client-key (a PEM certificate and its private key)", () => createSecureContext({ cert, key }));
  return { ...(ca === undefined ? {} : { ca }), ...(cert === undefined ? {} : { cert }), ...(key === undefined ? {} : { key }) };
}
