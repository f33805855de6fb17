#!/usr/bin/env bash
# The verifier's JMH benchmark: DeviceTokenVerifier.verify over 10,000 devices, on the BouncyCastle path
# and on the stock JCA (SunEC) path. The JDK in JAVA_HOME (or on PATH) runs it; extra arguments go to JMH.
#   bench/jmh.sh
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/jmh.sh -p path=bouncycastle
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
JAVA_HOME="${JAVA_HOME:-}" ./mvnw -B -q install -DskipTests
(cd bench/jmh && JAVA_HOME="${JAVA_HOME:-}" ../../mvnw -B -q package)
# BouncyCastle switches a key to its fastest tables only after a few uses, and the JIT needs its time:
# hence the long warm-up.
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "bench/jmh/target/classes:$(cat bench/jmh/target/classpath.txt)" \
  org.openjdk.jmh.Main VerifierBenchmark -f 1 -wi 8 -w 3s -i 3 -r 3s "$@"
