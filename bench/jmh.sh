#!/usr/bin/env bash
# The JMH benchmarks, over 10,000 devices with a key each: VerifierBenchmark (the whole
# DeviceTokenVerifier.verify, on the webhook's P-256 path and on the stock JCA/SunEC path) and
# SignatureBenchmark (the signature check alone: the webhook's P-256 code and ACCP engine, Conscrypt, BouncyCastle's
# signer, SunEC).
# The JDK in JAVA_HOME (or on PATH) runs them; extra arguments go to JMH (a benchmark name picks one).
#   bench/jmh.sh
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/jmh.sh SignatureBenchmark -p engine=p256
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. "$root/bench/build.sh"
build_bench_tools
# Keys build their tables on their second use (BouncyCastle's after a few uses), and the JIT needs its time:
# hence the long warm-up.
if [ $# -eq 0 ] || [[ "$1" == -* ]]; then set -- 'VerifierBenchmark|SignatureBenchmark' "$@"; fi
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "bench/jmh/target/classes:$(cat bench/jmh/target/classpath.txt)" \
  org.openjdk.jmh.Main "$@" -f 1 -wi 8 -w 3s -i 3 -r 3s
