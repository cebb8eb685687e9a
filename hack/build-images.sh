#!/usr/bin/env bash
# Builds and pushes the Ferry step images, then prints the `images:` block for
# deploy/images/kustomization.yaml with the digests the registry returned.
#
# Usage: hack/build-images.sh [jvm|native] [registry/namespace] [tag]
#   hack/build-images.sh jvm quay.io/ferry 0.1.0
# Needs podman (or buildah's podman-compatible CLI) logged in to the registry, and the step
# programs built first: ./mvnw -B package -DskipTests (add -Pnative for the native variant).
set -euo pipefail

variant="${1:-jvm}"
registry="${2:-quay.io/ferry}"
tag="${3:-0.1.0}"
case "$variant" in
  jvm|native) ;;
  *) echo "variant must be jvm or native, not '$variant'" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
steps=(freeze dump upload download restore validate alembic-run scale-up follow-preflight follow-capture follow-apply)
digests="$(mktemp -d)"
trap 'rm -rf "$digests"' EXIT

for step in "${steps[@]}"; do
  pg_client=false
  # Only these two run PostgreSQL's own client tools; the others talk JDBC, S3 or Kubernetes.
  if [[ "$step" == dump || "$step" == restore ]]; then
    pg_client=true
  fi
  suffix=""
  [[ "$variant" == native ]] && suffix="-native"
  image="${registry}/ferry-${step}:${tag}${suffix}"
  echo "building ${image}" >&2
  podman build -f "images/Containerfile.${variant}" --build-arg "STEP=${step}" \
    --build-arg "PG_CLIENT=${pg_client}" -t "$image" .
  podman push --digestfile "${digests}/${step}" "$image"
done

echo "images:"
for step in "${steps[@]}"; do
  echo "  - name: quay.io/ferry/ferry-${step}"
  echo "    newName: ${registry}/ferry-${step}"
  echo "    digest: $(cat "${digests}/${step}")"
done
