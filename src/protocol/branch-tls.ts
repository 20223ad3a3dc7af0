/**
 * Trust and identity of TLS branch calls (`https://`, `json-rpc+https://`, `grpcs://`), shared by
 * both callers. Internal module.
 */
import { rootCertificates } from "node:tls";

/** PEM texts, not file names: whoever reads the files reports a missing one with its setting. */
export interface BranchTls {
  /** A PEM bundle of CA certificates trusted beside Node's root certificates (never instead of them). */
  readonly ca?: string;
  /** A PEM client certificate (chain) presented to branch services that ask for one. */
  readonly cert?: string;
  /** The PEM private key of `cert`. */
  readonly key?: string;
}

/** The CA list to verify branch services against: Node's roots plus `ca`; undefined (Node's default) without one. */
export function trustedRoots(tls: BranchTls | undefined): string[] | undefined {
  return tls?.ca === undefined ? undefined : [...rootCertificates, tls.ca];
}
