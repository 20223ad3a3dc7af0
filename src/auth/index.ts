/** Who may call, and what they may do: authentication, scopes, redaction. Internal module. */
export * from "./principal.js";
export * from "./tokens-file.js";
export * from "./authenticator.js";
export * from "./access.js";
export * from "./settings.js";
