/** The authentication settings a configuration asks for. Internal module. */
import type { Config } from "../config.js";
import type { AuthSettings } from "./authenticator.js";
import { loadTokensFile } from "./tokens-file.js";

/** Read the tokens file (when set) and gather the JWT and client certificate settings; throws naming a bad file. */
export async function authSettingsOf(config: Config): Promise<AuthSettings> {
  return {
    tokens: config.tokensFile === undefined ? undefined : await loadTokensFile(config.tokensFile),
    jwt:
      config.jwksUrl === undefined
        ? undefined
        : { jwksUrl: config.jwksUrl, issuer: config.jwtIssuer, audience: config.jwtAudience, scopesClaim: config.jwtScopesClaim },
    clientCertificates: config.tlsClientCa !== undefined,
  };
}
