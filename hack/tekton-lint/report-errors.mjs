// Reads tekton-lint's JSON report and exits 1 when it holds an error other than a known false positive.
// tekton-lint prints its own crash logs on stdout too, so the report is the line that is a JSON array.
import { readFileSync } from "node:fs";

const lines = readFileSync(process.argv[2], "utf8").split("\n");
const reportLine = lines.find((line) => line.startsWith("["));
if (reportLine === undefined) {
  console.error("tekton-lint wrote no report");
  process.exit(1);
}

// A taskRef that names a resolver (hub, bundles, git) has no Task to find offline: tekton-lint reports it
// as "references task 'undefined'". Ferry's own Tasks are always referenced by name and must be found.
const falsePositive = (p) =>
  p.rule === "no-missing-resource" && p.message.includes("references task 'undefined'");

const problems = JSON.parse(reportLine);
let errors = 0;
for (const p of problems) {
  const ignored = falsePositive(p);
  if (p.level === "error" && !ignored) {
    errors++;
  }
  console.log(`${p.path}: ${p.level}${ignored ? " (ignored: resolver taskRef)" : ""}: ${p.message} [${p.rule}]`);
}
console.log(`tekton-lint: ${problems.length} problems, ${errors} errors that count`);
process.exit(errors > 0 ? 1 : 0);
