#!/bin/sh
# Image build helper (runs inside `podman build`, never in a Task): installs the PostgreSQL client tools
# (pg_dump, pg_restore, pg_dumpall, psql, dropdb) of one major version from the PGDG repository.
# Usage: install-pg-client.sh <true|false> <major>
set -eu
wanted="$1"
major="$2"
if [ "$wanted" != "true" ]; then
  exit 0
fi
arch="$(uname -m)"
rpm --import https://download.postgresql.org/pub/repos/yum/keys/PGDG-RPM-GPG-KEY-RHEL
rpm -i "https://download.postgresql.org/pub/repos/yum/reporpms/EL-9-${arch}/pgdg-redhat-repo-latest.noarch.rpm"
microdnf -y --nodocs --setopt=install_weak_deps=0 --disablerepo='pgdg*' --enablerepo="pgdg${major}" \
  install "postgresql${major}"
"/usr/pgsql-${major}/bin/pg_dump" --version
