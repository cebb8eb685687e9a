#!/usr/bin/env bash
# Makes a Pipeline's Tekton bundle self-contained: every `taskRef` by plain name (`taskRef: name: ferry-x`, which
# only resolves where the Task is installed in the namespace) becomes a reference to that Task's own bundle through
# Tekton's bundles resolver (resolver: bundles, params bundle/name/kind), pinned by digest. Run by .tekton/push.yaml
# after it pushed the Task bundles; tested by manifests' BundleTaskRefsTest.
#
# usage: hack/bundle-taskrefs.sh <pipeline.yaml> <task-name>=<bundle reference>...
# Fails, naming them, when a taskRef by name is left that no mapping covers.
set -euo pipefail
file="$1"
shift
for mapping in "$@"; do
  name="${mapping%%=*}"
  ref="${mapping#*=}"
  # \1 is the newline and indentation of the `taskRef:` line, so the new lines keep the file's own indentation.
  sed -z -E -i \
    "s#(\n *)taskRef:\1  name: ${name}\n#\1taskRef:\1  resolver: bundles\1  params:\1  - name: bundle\1    value: ${ref}\1  - name: name\1    value: ${name}\1  - name: kind\1    value: task\n#g" \
    "$file"
done
left="$(grep -A1 -E '^ *taskRef:$' "$file" | grep -E '^ *name: ' | sed -E 's/^ *name: //' | sort -u | tr '\n' ' ' || true)"
if [ -n "$left" ]; then
  echo "bundle-taskrefs: $file still refers by name to: $left(no bundle given for them)" >&2
  exit 1
fi
