#!/bin/sh
# Entry point of the JVM images: the Tasks call /deployments/ferry-step in the JVM and the native image alike.
# Heap follows the container's memory limit; JAVA_OPTS_APPEND adds JVM options without rebuilding.
# The serial collector: a step is one short-lived program streaming bytes, and with G1 its heap grew with what it
# streamed (upload 251 -> 426 MB, download 304 -> 501 MB peak RSS from a 100 MB to a 1 GiB artifact) where the
# serial collector keeps it flat (+3-10 %) at the same speed (bin/ferry-benchmark transfers). It is also what
# the JVM picks by itself under a limit below 1792 MB; this makes it the same under every limit.
# app-cds.jsa is the step's class data sharing archive, made in the image by images/train-class-cache.sh.
# Temporary files (Vert.x's file cache, the JDK's) go to TMPDIR or /tmp, which the Tasks mount as an emptyDir; where
# neither is writable (a read-only root without that mount), to HOME, so the step still starts.
tmp="${TMPDIR:-/tmp}"
if [ ! -w "$tmp" ] && [ -n "${HOME:-}" ] && [ -w "$HOME" ]; then
  tmp="$HOME"
fi
# shellcheck disable=SC2086 # JAVA_OPTS_APPEND is a list of options on purpose
cds=""
if [ -r /deployments/app-cds.jsa ]; then
  cds="-XX:SharedArchiveFile=/deployments/app-cds.jsa"
fi
exec java -XX:+UseSerialGC -XX:MaxRAMPercentage=75 $cds -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Djava.io.tmpdir="$tmp" ${JAVA_OPTS_APPEND:-} -jar /deployments/quarkus-run.jar "$@"
