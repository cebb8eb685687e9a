#!/usr/bin/env bash
# Makes PostgreSQL 17's client tools (pg_dump with zstd/lz4, the archive format newer images write) usable
# on a Debian 12 machine, which only packages the 15 client, without installing anything: Debian 13's
# packages are fetched with a separate sources list, unpacked into one folder, and run through Debian 13's
# own dynamic loader by wrapper scripts. Prints the wrappers' folder, ready for FERRY_DUMP_PG_BIN_DIR and
# FERRY_RESTORE_PG_BIN_DIR. Idempotent: a folder that already answers `pg_dump --version` is reused.
#
#   hack/pg17-client.sh [folder]      default: ~/.cache/ferry/pg17-client
#
# Exits 3, saying why, when the packages cannot be had (no network, not a Debian machine); callers that
# only want the tools when possible (the benchmark, the tests) treat that as "not here".
set -euo pipefail

dir="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/ferry/pg17-client}"
bin="$dir/bin"
tools=(pg_dump pg_dumpall pg_restore psql vacuumdb)

root="$dir/root"
libs="$root/usr/lib/x86_64-linux-gnu"
inner="$root/usr/lib/postgresql/17/bin"

# pg_dumpall runs the pg_dump beside its own binary, by path, which would bypass Debian 13's loader (and fail
# on this machine's older glibc): that pg_dump becomes a script that goes through the loader too.
route_siblings_through_the_loader() {
  if [ -f "$inner/pg_dump" ] && [ ! -e "$inner/pg_dump.real" ]; then
    mv "$inner/pg_dump" "$inner/pg_dump.real"
    cat >"$inner/pg_dump" <<SIBLING
#!/bin/sh
exec "$libs/ld-linux-x86-64.so.2" --library-path "$libs" "$inner/pg_dump.real" "\$@"
SIBLING
    chmod +x "$inner/pg_dump"
  fi
}

# One wrapper per tool in $bin, each running the real binary through Debian 13's loader.
write_wrappers() {
  for tool in "${tools[@]}"; do
    real="$inner/$tool"
    [ "$tool" = pg_dump ] && real="$inner/pg_dump.real"
    cat >"$bin/$tool" <<WRAPPER
#!/bin/sh
# PostgreSQL 17's $tool from Debian 13, run through Debian 13's own loader (made by hack/pg17-client.sh).
exec "$libs/ld-linux-x86-64.so.2" --library-path "$libs" "$real" "\$@"
WRAPPER
    chmod +x "$bin/$tool"
  done
}

if [ -x "$bin/pg_dump" ] && "$bin/pg_dump" --version 2>/dev/null | grep -q '(PostgreSQL) 17\.'; then
  route_siblings_through_the_loader
  write_wrappers
  echo "$bin"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
  echo "pg17-client: needs apt-get and dpkg (Debian or Ubuntu)" >&2
  exit 3
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
if [ ! -r "$keyring" ]; then
  echo "pg17-client: no $keyring to check Debian 13's packages with" >&2
  exit 3
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
cat >"$work/trixie.sources" <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: $keyring
SOURCES
apt_opts=(-o "Dir::Etc::SourceList=$work/trixie.sources" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o Debug::NoLocking=1)
if ! apt-get "${apt_opts[@]}" -qq update >"$work/update.log" 2>&1; then
  echo "pg17-client: cannot read Debian 13 (trixie) package lists: $(tail -1 "$work/update.log")" >&2
  exit 3
fi
packages=(postgresql-client-17 libpq5 libc6 libldap2 libsasl2-2 libgssapi-krb5-2 libkrb5-3 libk5crypto3
  libkrb5support0 libkeyutils1 libcom-err2 libssl3t64 zlib1g liblz4-1 libzstd1)
if ! (cd "$work/debs" && apt-get "${apt_opts[@]}" -qq download "${packages[@]}" >"$work/download.log" 2>&1); then
  echo "pg17-client: cannot download ${packages[*]}: $(tail -1 "$work/download.log")" >&2
  exit 3
fi

rm -rf "$root" "$bin"
mkdir -p "$root" "$bin"
for deb in "$work"/debs/*.deb; do
  dpkg -x "$deb" "$root"
done
route_siblings_through_the_loader
write_wrappers
if ! "$bin/pg_dump" --version | grep -q '(PostgreSQL) 17\.'; then
  echo "pg17-client: the unpacked pg_dump does not run here" >&2
  exit 3
fi
echo "$bin"
