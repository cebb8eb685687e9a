#!/usr/bin/env bash
# Installs what the README's two commands need on a fresh Debian/Ubuntu machine with a JDK 17, and
# nothing that is already there. The Maven wrapper brings Maven itself; the tests bring their own
# PostgreSQL servers (embedded binaries from Maven Central) and S3 server (S3Proxy).
#
#   hack/install-prerequisites.sh rehearsal   pg_dump/pg_restore/psql (the embedded servers ship no client tools)
#   hack/install-prerequisites.sh test        the same, plus alembic with psycopg2 (alembic-run's local mode
#                                             and its tests), Node.js/npm (the Tekton YAML lint), Ceph's
#                                             monitor, OSD and RADOS Gateway (the tests' second S3 server) and
#                                             podman, runc, debootstrap (the step images and their tests)
#   hack/install-prerequisites.sh benchmark   the rehearsal's, plus GNU time (seconds and peak RSS), the AWS
#                                             CLI (the runbook's aws s3 cp) and pgcopydb (the cutover's reference)
#
# Runs apt-get as root, or through sudo when not root. Exits non-zero, naming the package, when one
# cannot be installed.
set -euo pipefail

purpose="${1:-test}"
case "$purpose" in
  rehearsal|test|benchmark) ;;
  *) echo "usage: $0 rehearsal|test|benchmark" >&2; exit 2 ;;
esac

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

if ! command -v java >/dev/null 2>&1; then
  echo "no java on PATH: install a JDK 17 (Debian/Ubuntu: apt-get install -y openjdk-17-jdk-headless)" >&2
  exit 2
fi

updated=false
apt_update() {
  if [ "$updated" = false ]; then
    as_root apt-get update -qq
    updated=true
  fi
}

# Debian 12's client is postgresql-client-15; other releases name theirs after another major, and the
# distribution's newest (postgresql-client) dumps the tests' 14/15 servers just as well.
wanted=()
if ! command -v pg_dump >/dev/null 2>&1 || ! command -v pg_restore >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
  apt_update
  if apt-cache show postgresql-client-15 >/dev/null 2>&1; then
    wanted+=(postgresql-client-15)
  else
    wanted+=(postgresql-client)
  fi
fi
if [ "$purpose" = test ]; then
  # The `alembic` package holds /usr/bin/alembic; psycopg2 is the driver Onyx's env.py uses.
  for p in alembic python3-alembic python3-psycopg2; do
    installed "$p" || wanted+=("$p")
  done
  command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
  # CephRgwServer starts a throw-away one-node cluster from these; ceph-common holds ceph and monmaptool.
  for p in ceph-mon ceph-osd radosgw ceph-common; do
    installed "$p" || wanted+=("$p")
  done
fi
# The step images (hack/build-images.sh --local, the image-tests module, FERRY_REHEARSAL_IMAGES=true): podman runs
# them with runc as root, with the settings of images/containers.conf (named by CONTAINERS_CONF, no system file
# changes); debootstrap builds their Debian base without a registry.
if [ "$purpose" = test ] || { [ "$purpose" = rehearsal ] && [ "${FERRY_REHEARSAL_IMAGES:-false}" = true ]; }; then
  for p in podman runc debootstrap; do
    installed "$p" || wanted+=("$p")
  done
fi
if [ "$purpose" = benchmark ]; then
  [ -x /usr/bin/time ] || wanted+=(time)
  command -v aws >/dev/null 2>&1 || wanted+=(awscli)
  command -v pgcopydb >/dev/null 2>&1 || wanted+=(pgcopydb)
fi

if [ "${#wanted[@]}" -gt 0 ]; then
  apt_update
  echo "installing: ${wanted[*]}" >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
fi
