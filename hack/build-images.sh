#!/usr/bin/env bash
# Builds the Ferry step images from images/Containerfile.<variant>, one per step.
#
#   hack/build-images.sh --local [step…]
#       No registry, nothing pushed: builds the Debian 13 base with debootstrap (once; cached as an archive under
#       ${XDG_CACHE_HOME:-~/.cache}/ferry, so a rerun loads it in seconds), then the JVM images of the given steps
#       (default: all of them) as localhost/ferry-<step>:local. Needs podman, runc and debootstrap as root
#       (hack/install-prerequisites.sh test) and the fast-jars (./mvnw -B package -DskipTests).
#   hack/build-images.sh [jvm|native] [registry/namespace] [tag]
#       Builds from the Containerfile's own pinned base, pushes, and prints the `images:` block for
#       deploy/images/kustomization.yaml with the digests the registry returned. Needs podman logged in.
#
# Podman reads images/containers.conf (runc, rlimits it may set) unless CONTAINERS_CONF names another file.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/images/containers.conf}"
all_steps=(freeze dump upload download restore validate alembic-run scale-up follow-preflight follow-capture follow-apply follow-cutover follow-abandon)
base_image=localhost/ferry-base:trixie
base_archive="${XDG_CACHE_HOME:-$HOME/.cache}/ferry/ferry-base-trixie.oci.tar"

pg_client() {
  # Only these two run PostgreSQL's own client tools; the others talk JDBC, S3 or Kubernetes.
  if [[ "$1" == dump || "$1" == restore ]]; then echo true; else echo false; fi
}

# The local stand-in for debian:trixie-slim: a minimal debootstrap with what slim also leaves out removed.
ensure_base() {
  if podman image exists "$base_image"; then
    return
  fi
  if [[ -s "$base_archive" ]]; then
    echo "loading the base from $base_archive" >&2
    loaded="$(podman load -q -i "$base_archive")"
    podman tag "${loaded##*: }" "$base_image"
    return
  fi
  echo "building the base: debootstrap --variant=minbase trixie (about a minute)" >&2
  rootfs="$(mktemp -d "${TMPDIR:-/tmp}/ferry-base.XXXXXX")"
  trap 'rm -rf "$rootfs"' RETURN
  debootstrap --variant=minbase trixie "$rootfs" "${FERRY_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/dev/null
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
  # As debian:*-slim does: later apt-get installs leave out documentation too.
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' > "$rootfs/etc/dpkg/dpkg.cfg.d/ferry-slim"
  tar -C "$rootfs" --numeric-owner -cf - . | podman import -q --change 'CMD ["bash"]' - "$base_image" >/dev/null
  mkdir -p "$(dirname "$base_archive")"
  podman save -q --format oci-archive -o "$base_archive.partial" "$base_image"
  mv "$base_archive.partial" "$base_archive"
}

if [[ "${1:-}" == --local ]]; then
  shift
  steps=("$@")
  [[ ${#steps[@]} -gt 0 ]] || steps=("${all_steps[@]}")
  ensure_base
  for step in "${steps[@]}"; do
    if [[ ! -f "steps/$step/target/quarkus-app/quarkus-run.jar" ]]; then
      echo "steps/$step/target/quarkus-app is missing: run ./mvnw -B package -DskipTests first" >&2
      exit 2
    fi
    started=$SECONDS
    podman build -f images/Containerfile.jvm --build-arg "BASE=$base_image" --build-arg "STEP=$step" \
      --build-arg "PG_CLIENT=$(pg_client "$step")" -t "localhost/ferry-$step:local" . >&2
    echo "built localhost/ferry-$step:local in $((SECONDS - started)) s" >&2
  done
  exit 0
fi

variant="${1:-jvm}"
registry="${2:-quay.io/ferry}"
tag="${3:-0.1.0}"
case "$variant" in
  jvm|native) ;;
  *) echo "variant must be jvm or native, not '$variant' (or --local)" >&2; exit 2 ;;
esac

digests="$(mktemp -d)"
trap 'rm -rf "$digests"' EXIT

for step in "${all_steps[@]}"; do
  suffix=""
  [[ "$variant" == native ]] && suffix="-native"
  image="${registry}/ferry-${step}:${tag}${suffix}"
  echo "building ${image}" >&2
  podman build -f "images/Containerfile.${variant}" --build-arg "STEP=${step}" \
    --build-arg "PG_CLIENT=$(pg_client "$step")" -t "$image" .
  podman push --digestfile "${digests}/${step}" "$image"
done

echo "images:"
for step in "${all_steps[@]}"; do
  echo "  - name: quay.io/ferry/ferry-${step}"
  echo "    newName: ${registry}/ferry-${step}"
  echo "    digest: $(cat "${digests}/${step}")"
done
