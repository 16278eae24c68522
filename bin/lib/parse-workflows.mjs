// The GitHub Actions workflows as GitHub itself reads them: each file parsed and validated with
// @actions/workflow-parser (the parser of GitHub's Actions language services, driven by the
// workflow schema GitHub publishes with it), printed as one JSON object for WorkflowsTest:
//
//   { "<file>": { "errors": ["..."], "workflow": <the parsed template as plain JSON>,
//                 "jobs": [{ "id", "needs", "if" }] }, ... }
//
// "workflow" renders the validated token tree: mappings, sequences, literals, and expressions as
// "${{ expr }}" (so a value is what the parser recognised, not the YAML text); "jobs" comes from
// the parser's own model (convertWorkflowTemplate): needs as GitHub orders them, and "if" as
// GitHub evaluates it (success() && (...) when the file names no status function).
//
//   node bin/lib/parse-workflows.mjs .github/workflows/a.yml [...]
import { register } from "node:module";
import fs from "node:fs";

// The package imports its schema JSON without an import attribute, which bundlers accept and
// Node refuses (ERR_IMPORT_ASSERTION_TYPE_MISSING): a load hook hands Node the JSON as JSON.
register("data:text/javascript," + encodeURIComponent(`
import fs from "node:fs";
export async function load(url, context, next) {
  if (url.endsWith(".json") && url.includes("workflow-parser")) {
    return { format: "json", source: fs.readFileSync(new URL(url), "utf8"), shortCircuit: true };
  }
  return next(url, context);
}`));
const parser = await import("@actions/workflow-parser");
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = parser;

function plain(token) {
  if (token === undefined || token === null) return null;
  if (parser.isMapping(token)) {
    const out = {};
    for (let i = 0; i < token.count; i++) {
      const pair = token.get(i);
      out[String(plain(pair.key))] = plain(pair.value);
    }
    return out;
  }
  if (parser.isSequence(token)) {
    const out = [];
    for (let i = 0; i < token.count; i++) out.push(plain(token.get(i)));
    return out;
  }
  if (parser.isBasicExpression(token)) return "${{ " + token.expression + " }}";
  if (parser.isString(token) || parser.isBoolean(token) || parser.isNumber(token)) return token.value;
  if (parser.isLiteral(token)) return null; // the null token
  return String(token);
}

function expr(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === "object" && "expr" in value) return value.expr;
  return value;
}

const result = {};
for (const name of process.argv.slice(2)) {
  const parsed = parseWorkflow({ name, content: fs.readFileSync(name, "utf8") }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  let jobs = [];
  if (parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    errors.push(...(template.errors || []).map((e) => e.Message || e.message || String(e)));
    jobs = (template.jobs || []).map((j) => ({ id: j.id, needs: j.needs || [], if: expr(j.if) }));
  }
  // the conversion reports into the same context: each message once
  result[name] = { errors: [...new Set(errors)], workflow: plain(parsed.value), jobs };
}
process.stdout.write(JSON.stringify(result));
