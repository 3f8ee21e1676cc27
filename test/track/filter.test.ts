import { describe, expect, it } from "vitest";
import { likeToGlob, parseFilter, parseOrderBy } from "../../src/track/index.js";

describe("parseFilter", () => {
  it("parses MLflow's documented examples", () => {
    expect(parseFilter("metrics.accuracy > 0.92")).toEqual([{ entity: "metric", key: "accuracy", comparator: ">", value: 0.92, quoted: false }]);
    expect(parseFilter('params.model = "LogisticRegression" and params.lambda = "0.001" and metrics.error <= 0.05')).toEqual([
      { entity: "param", key: "model", comparator: "=", value: "LogisticRegression", quoted: true },
      { entity: "param", key: "lambda", comparator: "=", value: "0.001", quoted: true },
      { entity: "metric", key: "error", comparator: "<=", value: 0.05, quoted: false },
    ]);
    expect(parseFilter('attributes.status = "FAILED"')[0]).toMatchObject({ entity: "attribute", key: "status", value: "FAILED" });
    expect(parseFilter('metrics."2019-04-02 error rate" < 1e-3')[0]).toMatchObject({ key: "2019-04-02 error rate", value: 0.001 });
    expect(parseFilter("tags.`mlflow.runName` != 'x'")[0]).toMatchObject({ entity: "tag", key: "mlflow.runName", comparator: "!=" });
  });

  it("accepts prefix synonyms, bare dotted keys and attributes without a prefix", () => {
    expect(parseFilter("metric.a = 1 AND param.b = 'x' AND parameter.c = 'y' AND tag.d = 'z' AND attr.status = 'RUNNING' AND run.run_name = 'r' AND dataset.name = 'n'").map((c) => c.entity)).toEqual([
      "metric",
      "param",
      "param",
      "tag",
      "attribute",
      "attribute",
      "dataset",
    ]);
    expect(parseFilter("tags.mlflow.source.git.commit = 'abc'")[0].key).toBe("mlflow.source.git.commit");
    expect(parseFilter("name LIKE '%churn%'")[0]).toMatchObject({ entity: "attribute", key: "name", comparator: "LIKE", value: "%churn%" });
    expect(parseFilter("metrics.v1.5 > 2")[0]).toMatchObject({ key: "v1.5", value: 2 });
  });

  it("parses every comparator, lists and null tests", () => {
    const cmp = (f: string) => parseFilter(f)[0];
    for (const op of ["=", "!=", "<", "<=", ">", ">="]) expect(cmp(`metrics.x ${op} -2.5`)).toMatchObject({ comparator: op, value: -2.5 });
    expect(cmp("metrics.x <> 1").comparator).toBe("!=");
    expect(cmp("params.p like 'a%'").comparator).toBe("LIKE");
    expect(cmp("params.p ILike 'a%'").comparator).toBe("ILIKE");
    expect(cmp("params.p IN ('a', \"b\", 'c''d')")).toMatchObject({ comparator: "IN", value: ["a", "b", "c'd"] });
    expect(cmp("attributes.run_id not in ('x')")).toMatchObject({ comparator: "NOT IN", value: ["x"] });
    expect(cmp("tags.t IS NULL")).toMatchObject({ comparator: "IS NULL", value: null });
    expect(cmp("tags.t is not null")).toMatchObject({ comparator: "IS NOT NULL", value: null });
    expect(cmp("params.p = 'it\\'s'").value).toBe("it's");
    expect(cmp("params.p LIKE 'a\\_b'").value).toBe("a\\_b");
    expect(parseFilter("")).toEqual([]);
    expect(parseFilter("   ")).toEqual([]);
  });

  it("rejects what is not the grammar, naming the position", () => {
    for (const bad of ["metrics.x", "metrics.x >", "metrics.x > 1 OR metrics.y > 2", "metrics.x > 1 metrics.y > 2", "params.p IN 'a'", "params.p IN ('a',", "params.p IN (1, 2)", "params.p = 'open", "foo.bar = 1", "metrics. = 1", "!x = 1", "metrics.x ! 1"]) {
      expect(() => parseFilter(bad), bad).toThrow(/filter .* at character \d+|filter/);
    }
    try {
      parseFilter("metrics.x > 1 OR metrics.y > 2");
    } catch (e) {
      expect((e as Error).message).toMatch(/OR is not supported.*character 15/);
      expect((e as { code?: string }).code).toBe("INVALID_INPUT");
    }
  });
});

describe("parseOrderBy", () => {
  it("parses keys and directions", () => {
    expect(parseOrderBy(["metrics.rmse", "params.lr DESC", "attributes.start_time asc", "name", "metrics.`f1 score` DESC"])).toEqual([
      { entity: "metric", key: "rmse", ascending: true },
      { entity: "param", key: "lr", ascending: false },
      { entity: "attribute", key: "start_time", ascending: true },
      { entity: "attribute", key: "name", ascending: true },
      { entity: "metric", key: "f1 score", ascending: false },
    ]);
    expect(parseOrderBy(undefined)).toEqual([]);
    expect(() => parseOrderBy(["metrics.rmse UP"])).toThrow(/order_by/);
    expect(() => parseOrderBy([""])).toThrow(/order_by/);
  });
});

describe("likeToGlob", () => {
  it("translates wildcards and escapes GLOB's own metacharacters", () => {
    expect(likeToGlob("a%b_c")).toBe("a*b?c");
    expect(likeToGlob("x*y?z[w]")).toBe("x[*]y[?]z[[]w]");
    expect(likeToGlob("100\\%")).toBe("100%");
    expect(likeToGlob("a\\_b")).toBe("a_b");
  });
});
