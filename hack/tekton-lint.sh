#!/usr/bin/env bash
# Lints the Tekton YAML with @ibm/tekton-lint 1.1.0 (pinned in hack/tekton-lint/package-lock.json) and fails on
# errors. Its known false positive (taskRef.resolver, see report-errors.mjs) is listed but does not count.
# Usage: hack/tekton-lint.sh [glob ...]   (default: every Tekton file of the repository)
set -euo pipefail

cd "$(dirname "$0")/.."
lint_dir=hack/tekton-lint
if [[ ! -x "$lint_dir/node_modules/.bin/tekton-lint" ]]; then
  npm ci --prefix "$lint_dir" --no-audit --no-fund --loglevel=error
fi

if [[ $# -eq 0 ]]; then
  set -- 'tasks/tekton/**/*.yaml' 'pipelines/tekton/**/*.yaml' '.tekton/*.yaml'
fi

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
# tekton-lint exits 1 on any error, false positives included: report-errors.mjs decides.
"$lint_dir/node_modules/.bin/tekton-lint" --format json --color=false "$@" >"$report" || true
node "$lint_dir/report-errors.mjs" "$report"
