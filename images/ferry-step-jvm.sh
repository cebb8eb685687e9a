#!/bin/sh
# Entry point of the JVM images: the Tasks call /deployments/ferry-step in the JVM and the native image alike.
# Heap follows the container's memory limit; JAVA_OPTS_APPEND adds JVM options without rebuilding.
# app-cds.jsa is the step's class data sharing archive, made in the image by images/train-class-cache.sh.
# shellcheck disable=SC2086 # JAVA_OPTS_APPEND is a list of options on purpose
cds=""
if [ -r /deployments/app-cds.jsa ]; then
  cds="-XX:SharedArchiveFile=/deployments/app-cds.jsa"
fi
exec java -XX:MaxRAMPercentage=75 $cds -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  ${JAVA_OPTS_APPEND:-} -jar /deployments/quarkus-run.jar "$@"
