/**
 * Who is using the UI. `server-info` answers 401 when the server requires a token: then the
 * sign-in form asks for one (kept in sessionStorage for this tab). The principal's role decides
 * which write buttons exist at all: read-only users see none.
 */
import { createContext, type FormEvent, type ReactNode, useCallback, useContext, useEffect, useId, useState } from "react";
import { ApiError, UNAUTHENTICATED, storeToken, storedToken } from "./api/client";
import { serverInfo } from "./api/keel";
import type { Role, ServerInfo } from "./api/types";
import { ErrorBox, Loading } from "./components/status";

const RANK: Record<Role, number> = { read: 0, write: 1, admin: 2 };

interface Auth {
  info: ServerInfo;
  /** The principal may change things (write or admin role). */
  canWrite: boolean;
  signOut: () => void;
}

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error("useAuth outside AuthGate");
  return a;
}

type State = { kind: "loading" } | { kind: "ready"; info: ServerInfo } | { kind: "sign-in"; problem?: string } | { kind: "error"; error: unknown };

/** Renders `children` once the server has said who we are; the sign-in form while it needs a token. */
export function AuthGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: "loading" });

  const check = useCallback(async (problemIfRefused?: string) => {
    try {
      setState({ kind: "ready", info: await serverInfo() });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setState({ kind: "sign-in", problem: storedToken() ? (problemIfRefused ?? e.message) : undefined });
      else setState({ kind: "error", error: e });
    }
  }, []);

  useEffect(() => {
    void check();
    const onRefused = () => setState((s) => (s.kind === "sign-in" ? s : { kind: "sign-in", problem: "The server refused the token (revoked or expired?). Sign in again." }));
    window.addEventListener(UNAUTHENTICATED, onRefused);
    return () => window.removeEventListener(UNAUTHENTICATED, onRefused);
  }, [check]);

  const signOut = useCallback(() => {
    storeToken(null);
    setState({ kind: "loading" });
    void check();
  }, [check]);

  if (state.kind === "loading") return <Loading what="Connecting to the server" />;
  if (state.kind === "error") return <ErrorBox title="The server could not be reached" error={state.error} />;
  if (state.kind === "sign-in")
    return (
      <SignIn
        problem={state.problem}
        onToken={(t) => {
          storeToken(t);
          void check("That token was not accepted: it is unknown or revoked.");
        }}
      />
    );
  const role = state.info.principal.role;
  return <AuthContext.Provider value={{ info: state.info, canWrite: RANK[role] >= RANK.write, signOut }}>{children}</AuthContext.Provider>;
}

function SignIn({ problem, onToken }: { problem?: string; onToken: (token: string) => void }) {
  const [token, setToken] = useState("");
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) onToken(token.trim());
  };
  return (
    <main className="sign-in">
      <h1>Sign in to Keel</h1>
      <p>This server requires an API token. Ask an admin for one (<code>keel token create --role read</code>, or <code>--role write</code> to change aliases).</p>
      <form onSubmit={submit}>
        <label htmlFor={id}>API token</label>
        <input id={id} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined} autoFocus />
        {problem ? (
          <p id={`${id}-problem`} className="field-error" role="alert">
            {problem}
          </p>
        ) : null}
        <button type="submit">Sign in</button>
      </form>
      <p className="muted">The token stays in this browser tab only (session storage) and is sent as <code>Authorization: Bearer …</code>.</p>
    </main>
  );
}
