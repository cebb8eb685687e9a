#!/bin/sh
# Writes <quarkus-app>/app-cds.jsa, the class data sharing archive of one step (JDK 17 AppCDS): a JVM that
# maps it starts without loading, verifying and linking the classes a step needs (Quarkus, SmallRye Config,
# the AWS SDK and Netty, the JDBC driver, the Kubernetes client), about 0.5 s of every step's run on 2 cores.
#
# The archive holds what one training run loaded. The training run is the step itself with every endpoint
# refused at once (127.0.0.1:1) and a one-artifact workspace, so it gets through its settings, the workspace,
# the client it builds and its first request before it fails: the same classes a real run loads, without any
# server. An archive only works for the JVM and the exact jar paths it was made with, so it is made where it
# runs: by Maven after packaging (local runs and tests) and again inside the JVM image (images/Containerfile.jvm).
# A stale or foreign archive costs nothing but one JVM warning line: the JVM then loads classes as usual.
# The run's temporary files (Vert.x's file cache) go to its own folder: left in an image's /tmp as root, they made
# every step under a read-only root fail at start.
#
#   images/train-class-cache.sh steps/<step>/target/quarkus-app [java]
set -eu
app="$(cd "${1:?usage: train-class-cache.sh <quarkus-app folder> [java]}" && pwd)"
java="${2:-java}"
archive="$app/app-cds.jsa"
training="$(mktemp -d "${TMPDIR:-/tmp}/ferry-cds-training.XXXXXX")"
trap 'rm -rf "$training"' EXIT

mkdir -p "$training/data" "$training/results"
printf 'training\n' > "$training/data/dump.pgdump"
sha="$(sha256sum "$training/data/dump.pgdump" | cut -d' ' -f1)"
cat > "$training/data/manifest.json" <<JSON
{"formatVersion":1,"migrationId":"cds-training","createdAt":"2026-01-01T00:00:00Z",
 "source":{"serverVersion":"170000","serverMajorVersion":17,"database":"training","pgDumpVersion":"17"},
 "dump":{"format":"custom","compression":"1","jobs":1,"globals":false},
 "artifacts":[{"path":"dump.pgdump","kind":"dump","size":9,"sha256":"$sha"}]}
JSON
cat > "$training/kubeconfig" <<'YAML'
apiVersion: v1
kind: Config
clusters: [{name: training, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: training, user: {token: training}}]
contexts: [{name: training, context: {cluster: training, user: training, namespace: training}}]
current-context: training
YAML

rm -f "$archive"
# Every value is a dummy: nothing here is a secret, and every endpoint refuses the connection.
env -i PATH="$PATH" HOME="$training" LANG=C.UTF-8 \
  FERRY_WORKDIR="$training/data" FERRY_RESULTS_DIR="$training/results" \
  POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=1 POSTGRES_DB=training POSTGRES_USER=training POSTGRES_PASSWORD=training \
  AWS_ENDPOINT_URL_S3=http://127.0.0.1:1 AWS_ACCESS_KEY_ID=training AWS_SECRET_ACCESS_KEY=training \
  FERRY_S3_BUCKET=training FERRY_S3_MAX_ATTEMPTS=1 \
  KUBECONFIG="$training/kubeconfig" FERRY_NAMESPACE=training \
  QUARKUS_KUBERNETES_CLIENT_REQUEST_RETRY_BACKOFF_LIMIT=0 KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT=0 \
  TMPDIR="$training" \
  "$java" -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$archive" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -Djava.io.tmpdir="$training" \
    -jar "$app/quarkus-run.jar" > "$training/training.log" 2>&1 || true
if [ ! -s "$archive" ]; then
  echo "train-class-cache: no archive was written for $app; the step runs without one:" >&2
  tail -n 5 "$training/training.log" >&2
  exit 1
fi
echo "train-class-cache: $archive ($(wc -c < "$archive") bytes)"
