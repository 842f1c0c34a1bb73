#!/usr/bin/env bash
# `npm run kafka:install`: Apache Kafka's broker and Java client from Maven Central into
# conformance/kafka/lib (versions pinned in conformance/kafka/pom.xml; Maven keeps its download
# cache in ~/.m2, so a second install only copies), then the Java consumer driver compiled
# against kafka-clients into conformance/kafka/classes.
set -euo pipefail
cd "$(dirname "$0")/../kafka"
command -v java >/dev/null || { echo "kafka:install: java is not on PATH (Java 17 or later is needed)" >&2; exit 2; }
command -v mvn >/dev/null || { echo "kafka:install: mvn is not on PATH (Maven is needed to fetch Kafka's jars)" >&2; exit 2; }
rm -rf lib classes
mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime
# The driver, and the Java logger of docs/validate.md that it can run (so that the logger is compiled
# and exercised against the real client).
javac -d classes -cp "lib/*" driver/Driver.java ../../examples/loggers/RebalanceLog.java
echo "kafka:install: $(ls lib | wc -l) jars in conformance/kafka/lib, driver compiled to conformance/kafka/classes"
