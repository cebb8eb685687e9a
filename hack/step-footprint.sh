#!/usr/bin/env bash
# Size and start-up of every built step program: the bytes of steps/<step>/target/quarkus-app, the jars in
# its lib/, and the median wall time of 5 runs from `java -jar` to exit on a path that fails right after
# configuration is read (so it measures JVM start + Quarkus boot + shutdown, not the work), without and with
# the step's class data sharing archive (target/quarkus-app/app-cds.jsa, made by images/train-class-cache.sh).
# Usage: hack/step-footprint.sh [project root]   (build first: ./mvnw -B -q -DskipTests package)
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# An env that makes each step stop with exit 2, 3 or 4 before it talks to anything.
declare -A early=(
  [freeze]=""
  [dump]="POSTGRES_HOST=127.0.0.1 POSTGRES_USER=x FERRY_DUMP_JOBS=0"
  [upload]="FERRY_S3_BUCKET=b"
  [download]="FERRY_S3_BUCKET=b FERRY_MIGRATION_ID=a/b"
  [restore]="FERRY_RESTORE_JOBS=0"
  [validate]=""
  [alembic-run]="POSTGRES_HOST=127.0.0.1 POSTGRES_USER=x"
  [scale-up]=""
)

printf '| step | quarkus-app bytes | jars in lib | start to exit, median of 5 (s) | with app-cds.jsa (s) |\n'
printf '| --- | ---: | ---: | ---: | ---: |\n'
median_of_5() { # app, step, extra java options...
  local app="$1" step="$2" times=()
  shift 2
  for _ in 1 2 3 4 5; do
    start=$(date +%s.%N)
    env -i PATH="$PATH" HOME="$work" FERRY_WORKDIR="$work/ws" KUBECONFIG=/dev/null ${early[$step]} \
      java -XX:+UseSerialGC "$@" -jar "$app/quarkus-run.jar" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}
for step in freeze dump upload download restore validate alembic-run scale-up; do
  app="$root/steps/$step/target/quarkus-app"
  bytes=$(du -sb --exclude=app-cds.jsa "$app" | cut -f1)
  jars=$(find "$app/lib" -name '*.jar' | wc -l)
  plain=$(median_of_5 "$app" "$step")
  shared="-"
  if [ -s "$app/app-cds.jsa" ]; then
    shared=$(printf '%.2f' "$(median_of_5 "$app" "$step" -XX:SharedArchiveFile="$app/app-cds.jsa")")
  fi
  printf '| %s | %s | %s | %.2f | %s |\n' "$step" "$bytes" "$jars" "$plain" "$shared"
done
