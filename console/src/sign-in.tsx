/**
 * Signing in, when the coordinator authenticates its callers: the form asking for an API token,
 * and what a token without the admin scope is told. With authentication off neither is shown.
 */
import { useState, type FormEvent } from "react";
import { checkToken, describeError, signIn, signOut } from "./api.js";
import { ErrorMessage, Section } from "./bits.js";

/** Where a token comes from, said once under the field. */
const tokenHelp =
  "The console needs a token with the admin scope: one from the coordinator's tokens file (--tokens-file), or a JWT from your identity provider.";

/** The form: the token is checked with one call before it is kept, so a wrong one stays here. */
export function SignIn({ tokenRefused }: { tokenRefused: boolean }) {
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const candidate = token.trim();
    if (candidate === "") return;
    setBusy(true);
    setRefused(false);
    setError(undefined);
    try {
      const refusal = await checkToken(candidate);
      if (refusal === "unauthenticated") {
        setRefused(true);
        setBusy(false);
      } else {
        // The views (or the missing scope) replace the form: nothing here to update.
        signIn(candidate, refusal);
      }
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <Section title="Sign in" id="sign-in-title">
      <p>
        {tokenRefused ? "The token you signed in with is no longer accepted (expired or removed): sign in again." : "This coordinator asks every caller for a token."}
      </p>
      {/* The field has no name: even a submit the script missed could not put the token in a URL. */}
      <form className="sign-in" aria-label="Sign in" onSubmit={(e) => void submit(e)}>
        <label>
          API token
          <input
            type="password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            required
            autoFocus
            autoComplete="off"
            spellCheck={false}
            aria-describedby="token-help"
            aria-invalid={refused}
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <p id="token-help" className="muted">
          {tokenHelp}
        </p>
        {refused ? (
          <p className="error" role="alert">
            That token was not accepted.
          </p>
        ) : null}
        <ErrorMessage error={error} prefix="Signing in failed" />
      </form>
    </Section>
  );
}

/** A token the coordinator knows, without the admin scope every console call needs. */
export function MissingScope() {
  return (
    <Section title="Admin scope needed" id="missing-scope-title">
      <p className="error" role="alert">
        This token lacks the admin scope: the coordinator accepted it, but every call the console makes needs admin.
      </p>
      <p className="muted">{tokenHelp}</p>
      <button type="button" className="primary" onClick={signOut}>
        Sign in with another token
      </button>
    </Section>
  );
}
