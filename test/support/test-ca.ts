/**
 * A throwaway certificate authority for TLS tests: a CA and the leaf certificates it issues
 * (servers by DNS name and IP address, clients for mTLS), as PEM, made in the test with
 * @peculiar/x509 over Node's WebCrypto (ECDSA P-256, so issuing takes milliseconds).
 */
// @peculiar/x509 needs a Reflect metadata polyfill loaded before it.
import "reflect-metadata";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { randomBytes, webcrypto } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto);

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

export interface IssueOptions {
  /** The subject's CN. */
  readonly commonName: string;
  /** Subject alternative names of type DNS (what a server is verified by). */
  readonly dnsNames?: readonly string[];
  /** Subject alternative names of type IP. */
  readonly ipAddresses?: readonly string[];
  /** A client certificate (extended key usage clientAuth) instead of a server one (serverAuth). */
  readonly client?: boolean;
  /** Default: a day from now. */
  readonly notAfter?: Date;
}

export interface IssuedCertificate {
  readonly certPem: string;
  /** PKCS #8. */
  readonly keyPem: string;
}

export interface TestCa {
  /** The CA's certificate: what a peer must trust. */
  readonly caPem: string;
  /** A leaf certificate signed by this CA. */
  issue(options: IssueOptions): Promise<IssuedCertificate>;
}

/**
 * A random serial with its top bit clear: DER integers are signed, and Go (grpcurl, dtm's
 * clients) refuses a certificate whose serial reads as negative.
 */
const serialNumber = () => `1${randomBytes(15).toString("hex")}`;

async function keyPemOf(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY");
}

/** A fresh CA. Two CAs never trust each other's certificates. */
export async function createTestCa(commonName = "Concord Test CA"): Promise<TestCa> {
  const caKeys = (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${commonName}`,
    keys: caKeys,
    signingAlgorithm: algorithm,
    notBefore,
    notAfter: new Date(Date.now() + 24 * 3600_000),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  return {
    caPem: caCert.toString("pem"),
    async issue(options) {
      const keys = (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
      const names = [
        ...(options.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
        ...(options.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
      ];
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serialNumber(),
        subject: `CN=${options.commonName}`,
        issuer: caCert.subject,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: algorithm,
        notBefore,
        notAfter: options.notAfter ?? new Date(Date.now() + 24 * 3600_000),
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
          new x509.ExtendedKeyUsageExtension([options.client === true ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]),
          ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
          await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
        ],
      });
      return { certPem: cert.toString("pem"), keyPem: await keyPemOf(keys.privateKey) };
    },
  };
}

export interface PemDir {
  readonly dir: string;
  /** The path of each file written, by the name it was given. */
  readonly paths: Readonly<Record<string, string>>;
  /** Delete the folder and its files. */
  remove(): Promise<void>;
}

/** Write PEM texts as files (`name` → `<dir>/<name>`, mode 0600) in a fresh temporary folder, for settings that take paths. */
export async function writePemFiles(files: Readonly<Record<string, string>>): Promise<PemDir> {
  const dir = await mkdtemp(join(tmpdir(), "concord-tls-"));
  const paths: Record<string, string> = {};
  for (const [name, pem] of Object.entries(files)) {
    paths[name] = join(dir, name);
    await writeFile(paths[name], pem, { mode: 0o600 });
  }
  return { dir, paths, remove: () => rm(dir, { recursive: true, force: true }) };
}
