/**
 * Tuning studies: optimisation history (each trial's value and the best so far) and parameter
 * importance. It reads `keel/studies/*` (see `api/keel.ts`); until tuning lands the page says
 * plainly that no study is recorded.
 */
import { useMemo } from "react";
import { type Study, type Trial, getStudy, searchStudies } from "../api/keel";
import { Chart } from "../components/chart";
import { fmtNum, fmtTime } from "../components/format";
import { Empty, ErrorBox, Loading } from "../components/status";
import { Table } from "../components/table";
import { useData } from "../components/use-data";
import { useTitle } from "../components/use-title";
import { Link, href } from "../router";

export function StudiesPage({ studyId }: { studyId?: string }) {
  useTitle(studyId ? `Study ${studyId}` : "Studies");
  const studies = useData((s) => searchStudies(s), []);
  if (studies.error) return <ErrorBox error={studies.error} />;
  if (!studies.data) return <Loading what="Asking the server about studies" />;
  if (!studies.data.available)
    return (
      <>
        <h1>Studies</h1>
        <div className="notice" data-testid="studies-empty">
          <p>
            <strong>No studies are recorded yet.</strong> This server has no tuning: hyperparameter studies (search spaces, random / grid / TPE samplers, pruning) arrive with <code>keel tune</code>.
          </p>
          <p>Once they do, this page shows each study's optimisation history, the best trial, parameter importance and every trial as a run.</p>
        </div>
      </>
    );
  const list = studies.data.data;
  return (
    <>
      <h1>Studies</h1>
      {list.length === 0 ? <Empty>No studies yet.</Empty> : <StudyTable studies={list} />}
      {studyId ? <StudyView id={studyId} /> : null}
    </>
  );
}

function StudyTable({ studies }: { studies: Study[] }) {
  return (
    <Table head={["study", "metric", "direction", { label: "trials", num: true }, { label: "best", num: true }, "created"]}>
      {studies.map((s) => (
        <tr key={s.study_id}>
          <th scope="row">
            <Link to={href(["studies", s.study_id])}>{s.name}</Link>
          </th>
          <td className="mono">{s.metric}</td>
          <td>{s.direction}</td>
          <td className="num">{s.trials}</td>
          <td className="num">{fmtNum(s.best_value)}</td>
          <td>{fmtTime(s.created)}</td>
        </tr>
      ))}
    </Table>
  );
}

function StudyView({ id }: { id: string }) {
  const { data, error } = useData((s) => getStudy(id, s), [id]);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading what="Loading the study" />;
  if (!data.available) return null;
  return <History study={data.data.study} trials={data.data.trials} importance={data.data.importance} />;
}

function History({ study, trials, importance }: { study: Study; trials: Trial[]; importance?: Record<string, number> }) {
  const history = useMemo(() => {
    const done = trials.filter((t) => t.value !== undefined).sort((a, b) => a.number - b.number);
    const better = (a: number, b: number) => (study.direction === "maximize" ? a > b : a < b);
    let best: number | undefined;
    const bestLine = done.map((t) => {
      if (best === undefined || better(t.value!, best)) best = t.value!;
      return [t.number, best];
    });
    return {
      grid: { left: 56, right: 24, top: 40, bottom: 40 },
      legend: { top: 0 },
      tooltip: { trigger: "item" },
      xAxis: { type: "value", name: "trial", nameLocation: "middle", nameGap: 26 },
      yAxis: { type: "value", scale: true, name: study.metric },
      series: [
        { type: "scatter", name: "trial value", data: done.map((t) => [t.number, t.value]) },
        { type: "line", name: "best so far", step: "end", data: bestLine, showSymbol: false },
      ],
    };
  }, [study, trials]);
  const imp = useMemo(() => {
    const e = Object.entries(importance ?? {}).sort((a, b) => b[1] - a[1]);
    return {
      grid: { left: 140, right: 40, top: 8, bottom: 24 },
      xAxis: { type: "value", max: 1 },
      yAxis: { type: "category", data: e.map(([k]) => k), inverse: true },
      series: [{ type: "bar", name: "importance", data: e.map(([, v]) => v), label: { show: true, position: "right", formatter: (p: { value: number }) => fmtNum(p.value, 2) } }],
    };
  }, [importance]);
  return (
    <>
      <h2>{study.name}</h2>
      <Chart name="study-history" label={`Optimisation history of ${study.name}: each trial's ${study.metric} and the best so far`} option={history} />
      {importance && Object.keys(importance).length ? <Chart name="study-importance" label="Parameter importance" option={imp} height={Math.max(120, 32 * Object.keys(importance).length + 40)} /> : null}
    </>
  );
}
