/**
 * The console's frame: the header with the live toggle, then the overview and the list, or one
 * transaction's detail, as the URL says. When the coordinator refuses the console's calls, the
 * sign-in form (or the missing admin scope) stands in for them, and the URL waits for after.
 */
import { useEffect, useState } from "react";
import { signOut, useSession } from "./api.js";
import { Dashboard } from "./dashboard.js";
import { LiveContext, refreshIntervalMs, useLiveSetting } from "./live.js";
import { currentRoute, navigateEvent, type Route } from "./route.js";
import { MissingScope, SignIn } from "./sign-in.js";
import { TransactionDetail } from "./transaction-detail.js";
import { TransactionList } from "./transaction-list.js";

export function App() {
  const [route, setRoute] = useState<Route>(currentRoute);
  const [live, setLive] = useLiveSetting();
  const session = useSession();

  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener("popstate", update);
    window.addEventListener("hashchange", update);
    window.addEventListener(navigateEvent, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener("hashchange", update);
      window.removeEventListener(navigateEvent, update);
    };
  }, []);

  useEffect(() => {
    document.title = session.refused === "unauthenticated" ? "Sign in · Concord console" : route.view === "tx" ? `${route.gid} · Concord console` : "Concord console";
  }, [route, session.refused]);

  return (
    <LiveContext.Provider value={live}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <h1>
          <a href={location.pathname}>Concord console</a>
        </h1>
        <label className="live-toggle">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} />
          Live refresh (every {refreshIntervalMs / 1000} s)
        </label>
        {session.token !== undefined ? (
          <button type="button" className="sign-out" onClick={signOut}>
            Sign out
          </button>
        ) : null}
      </header>
      <main id="main">
        {session.refused === "unauthenticated" ? (
          <SignIn tokenRefused={session.tokenRefused} />
        ) : session.refused === "permission_denied" ? (
          <MissingScope />
        ) : route.view === "tx" ? (
          <TransactionDetail key={route.gid} gid={route.gid} />
        ) : (
          <>
            <Dashboard />
            <TransactionList query={route.query} previous={route.previous} />
          </>
        )}
      </main>
    </LiveContext.Provider>
  );
}
