/** The shell: sign-in gate, navigation, and the page for the current URL. */
import { type ReactNode, useEffect } from "react";
import { AuthGate, useAuth } from "./auth";
import { loadCharts } from "./components/chart";
import { useTitle } from "./components/use-title";
import { AuditLogPage } from "./pages/audit-log";
import { ComparePage } from "./pages/compare";
import { EvaluationListPage } from "./pages/evaluation-list";
import { ExperimentsPage } from "./pages/experiments";
import { ModelPage } from "./pages/model";
import { ModelsPage } from "./pages/models";
import { MonitoringPage } from "./pages/monitoring";
import { RunPage } from "./pages/run";
import { RunsPage } from "./pages/runs";
import { StudiesPage } from "./pages/studies";
import { VersionPage } from "./pages/version";
import { Link, match, useLocation } from "./router";

const NAV: { to: string; label: string; section: RegExp }[] = [
  { to: "/", label: "Experiments", section: /^\/($|experiments|runs|compare)/ },
  { to: "/models", label: "Models", section: /^\/models/ },
  { to: "/evaluation", label: "Evaluation", section: /^\/evaluation/ },
  { to: "/monitoring", label: "Monitoring", section: /^\/monitoring/ },
  { to: "/studies", label: "Studies", section: /^\/studies/ },
  { to: "/audit-log", label: "Audit log", section: /^\/audit-log/ },
];

function Page(): ReactNode {
  const { path } = useLocation();
  let m: Record<string, string> | null;
  if (path === "/") return <ExperimentsPage />;
  if ((m = match("/experiments/:id", path))) return <RunsPage experimentId={m.id} />;
  if ((m = match("/runs/:id", path))) return <RunPage runId={m.id} />;
  if (match("/compare", path)) return <ComparePage />;
  if (match("/models", path)) return <ModelsPage />;
  if ((m = match("/models/:name", path))) return <ModelPage name={m.name} />;
  if ((m = match("/models/:name/versions/:version", path))) return <VersionPage name={m.name} version={m.version} />;
  if (match("/evaluation", path)) return <EvaluationListPage />;
  if (match("/audit-log", path)) return <AuditLogPage />;
  if (match("/monitoring", path)) return <MonitoringPage />;
  if ((m = match("/monitoring/:name", path))) return <MonitoringPage name={m.name} />;
  if (match("/studies", path)) return <StudiesPage />;
  if ((m = match("/studies/:id", path))) return <StudiesPage studyId={m.id} />;
  return <NotFound />;
}

function NotFound() {
  useTitle("Not found");
  return (
    <>
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. Go to the <Link to="/">experiments</Link>.
      </p>
    </>
  );
}

function Header() {
  const { path } = useLocation();
  const { info, canWrite, signOut } = useAuth();
  return (
    <header className="top">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Link to="/" className="brand">
        Keel
      </Link>
      <nav aria-label="Main">
        <ul>
          {NAV.map((n) => (
            <li key={n.to}>
              <Link to={n.to} aria-current={n.section.test(path) ? "page" : undefined}>
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="who" data-role={info.principal.role}>
        {info.auth ? (
          <>
            <span>
              {info.principal.name} <span className="badge">{info.principal.role}</span>
            </span>
            <button type="button" className="link" onClick={signOut}>
              Sign out
            </button>
          </>
        ) : (
          <span className="muted" title="No API token exists: everyone on loopback may read and write">
            open server{canWrite ? "" : " (read-only)"}
          </span>
        )}
      </div>
    </header>
  );
}

export function App() {
  // fetch the chart library once the first page is up, so the first chart draws at once
  useEffect(() => {
    const t = window.setTimeout(() => void loadCharts(), 1500);
    return () => window.clearTimeout(t);
  }, []);
  return (
    <AuthGate>
      <Header />
      <main id="main" tabIndex={-1}>
        <Page />
      </main>
    </AuthGate>
  );
}
