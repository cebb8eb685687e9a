#!/bin/sh
# Image build helper (runs inside `podman build`/buildah, never in a Task): installs the PostgreSQL client tools
# (pg_dump, pg_restore, pg_dumpall, psql, dropdb) of one major version with apt, on a Debian base.
# Usage: install-pg-client.sh <true|false> <major> [version]
#
# The base's own suite is used when it has that major (trixie: 17). Otherwise the major comes from Debian's
# testing suite (forky: 18), for that client, libpq5 and postgresql-client-common only: apt pins every other
# package to the base's suite, the forky sources are removed again, and the image keeps no package lists.
# forky's Release file may be past its Valid-Until on a mirror, hence Check-Valid-Until=false for it alone.
# An empty version takes what the suite has for the major; a version (e.g. 18.6-3) pins it exactly.
set -eu
wanted="$1"
major="$2"
version="${3:-}"
if [ "$wanted" != "true" ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt_install() { apt-get install -y -qq --no-install-recommends "$@"; }

apt-get update -qq
if apt-cache show "postgresql-client-${major}" >/dev/null 2>&1; then
  apt_install "postgresql-client-${major}${version:+=$version}"
else
  cat > /etc/apt/sources.list.d/ferry-forky.sources <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: forky
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
Check-Valid-Until: no
SOURCES
  # Below the base's 500: nothing comes from forky unless named here.
  cat > /etc/apt/preferences.d/ferry-forky <<PREFS
Package: *
Pin: release n=forky
Pin-Priority: 100
PREFS
  apt-get -o Acquire::Check-Valid-Until=false update -qq
  # pkg/forky also takes from forky the dependencies whose versions only forky satisfies (about ten libraries).
  if [ -n "$version" ]; then client="postgresql-client-${major}=${version}"; else client="postgresql-client-${major}/forky"; fi
  apt_install "$client" libpq5/forky postgresql-client-common/forky
  rm /etc/apt/sources.list.d/ferry-forky.sources /etc/apt/preferences.d/ferry-forky
fi
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb
# Debian puts the tools of each major under /usr/lib/postgresql/<major>/bin; /usr/bin holds wrappers that pick one.
"/usr/lib/postgresql/${major}/bin/pg_dump" --version
dpkg-query -W -f='${Version}\n' "postgresql-client-${major}" > /usr/lib/postgresql/client.version
