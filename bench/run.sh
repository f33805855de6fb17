#!/usr/bin/env bash
# The HTTP benchmark: see docs/benchmarks.md.
#
#   bench/run.sh                       # the JDK in JAVA_HOME (or on PATH)
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/run.sh --aot
#
# Options (or environment): --devices N (DEVICES, 10000), --tokens-per-device K (TOKENS_PER_DEVICE, 5),
# --duration S (DURATION, 20 s per wrk run), --warmup S (WARMUP, 40 s, of which the first 10 s are reported),
# --aot (after the load runs, repackage as aot-jar, train and measure a start-up cache: the AOT cache on JDK 25+,
# AppCDS before; the default fast-jar is rebuilt at the end), --large N (LARGE_DEVICES, 100000: the registry for
# the cold-start comparison; 0 skips),
# --native (measure target/*-runner instead of the jar, when a native build exists),
# --storm (instead of all this: bench/storm.sh, the JVM, the native binary and the Node reference in one run).
# Everything runs on loopback; each load run is bounded by --duration; the script stops what it starts.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# --storm: the cold-replica storm and the steady rate, side by side with the Node reference (bench/storm.sh)
for arg in "$@"; do
  if [ "$arg" = --storm ]; then exec "$root/bench/storm.sh" "$@"; fi
done

DEVICES=${DEVICES:-10000}
TOKENS_PER_DEVICE=${TOKENS_PER_DEVICE:-5}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-40}
LARGE_DEVICES=${LARGE_DEVICES:-100000}
AOT=false
NATIVE=false
PORT=${PORT:-18080}
while [ $# -gt 0 ]; do
  case "$1" in
    --devices) DEVICES=$2; shift 2 ;;
    --tokens-per-device) TOKENS_PER_DEVICE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --large) LARGE_DEVICES=$2; shift 2 ;;
    --aot) AOT=true; shift ;;
    --native) NATIVE=true; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The documented launch flags for JVM mode (deploy/jvm.options, a java argument file), on one line so that the
# results can print them.
JVM_FLAGS=${JVM_FLAGS:-$(sed 's/#.*//' "$root/deploy/jvm.options" | xargs)}
work="$root/bench/work"
mkdir -p "$work"

# build, build_bench_tools, stop_app, median
. "$root/bench/build.sh"

for tool in wrk openssl python3; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq >/dev/null && apt-get install -y -qq "$tool" >/dev/null
    else
      echo "bench needs $tool (Debian: apt-get install $tool)" >&2; exit 1
    fi
  fi
done

jdk=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')
echo "== JDK $jdk, $(nproc) cores, $DEVICES devices x $TOKENS_PER_DEVICE tokens, wrk ${DURATION}s per run"

echo "== building the webhook and the benchmark tools"
build_bench_tools
benchcp="$root/bench/jmh/target/classes:$(cat "$root/bench/jmh/target/classpath.txt")"

echo "== generating devices, registry and request bodies"
"$JAVA" -cp "$benchcp" io.github.dpsjwt.bench.BenchData "$DEVICES" "$TOKENS_PER_DEVICE" "$work/fleet"
first_body="$work/fleet/first.json"
head -1 "$work/fleet/bodies.txt" > "$first_body"
if [ "$LARGE_DEVICES" -gt 0 ]; then
  "$JAVA" -cp "$benchcp" io.github.dpsjwt.bench.BenchData "$LARGE_DEVICES" 1 "$work/large" | sed 's/^/   /'
  head -1 "$work/large/bodies.txt" > "$work/large/first.json"
fi

trap stop_app EXIT

# start_app <registry file | seed> <log> [extra java flags...]: starts the webhook (in the background,
# setting app_pid) and prints the milliseconds from launch to the first 200 allocation
start_app() {
  local registry=$1 log=$2; shift 2
  local started body=$first_body seed_key=""
  [ "$registry" = "$work/large/registry.json" ] && body="$work/large/first.json"
  if [ "$registry" = seed ]; then registry=""; seed_key=$(cat "$work/fleet/seed.pem"); fi
  # the poller starts first and waits for the launch time: Python's own start (about 0.5 s here) must not count
  local go="$work/launched-at" poller
  rm -f "$go"
  python3 "$root/bench/first200.py" "$PORT" "$body" "$go" > "$work/first200.txt" &
  poller=$!
  while [ ! -s "$work/first200.txt" ]; do sleep 0.01; done  # "ready" once its imports are done
  started=$(date +%s%N)
  if $NATIVE; then
    ALLOCATOR_REGISTRY_FILE="$registry" DEVICE_PUBLIC_KEY="$seed_key" QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) ALLOCATOR_SHUTDOWN_DELAY=0s \
      "$(ls "$root"/target/*-runner | head -1)" -Xmx192m > "$log" 2>&1 &
  else
    (cd "$root/target/quarkus-app" && ALLOCATOR_REGISTRY_FILE="$registry" DEVICE_PUBLIC_KEY="$seed_key" QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) \
      ALLOCATOR_SHUTDOWN_DELAY=0s exec "$JAVA" $JVM_FLAGS "$@" -jar quarkus-run.jar) > "$log" 2>&1 &
  fi
  app_pid=$!
  echo "$started $app_pid" > "$go.tmp" && mv "$go.tmp" "$go"
  wait "$poller" || { echo "see $log" >&2; exit 1; }
  tail -n +2 "$work/first200.txt"
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

# run_wrk <connections> <seconds>: prints "req/s p50 p99 non2xx errors"
run_wrk() {
  local out
  out=$(BODIES="$work/fleet/bodies.txt" wrk -t1 -c"$1" -d"$2"s --timeout 5s --latency -s "$root/bench/rotate.lua" "http://127.0.0.1:$PORT" 2>&1)
  echo "$out" > "$work/wrk-c$1.txt"
  local rps p50 p99 non2xx errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  errors=$(awk '/Socket errors/ {gsub(",", ""); print $4+$6+$8+$10}' <<<"$out"); errors=${errors:-0}
  echo "$rps $p50 $p99 $non2xx $errors"
}

declare -A cold
echo "== cold start: process launch to first 200 allocation"
for i in 1 2 3; do
  cold[seed$i]=$(start_app seed "$work/app-cold.log"; stop_app)
  cold[fleet$i]=$(start_app "$work/fleet/registry.json" "$work/app-cold.log"; stop_app)
  if [ "$LARGE_DEVICES" -gt 0 ]; then
    cold[large$i]=$(start_app "$work/large/registry.json" "$work/app-large.log"; stop_app)
  fi
done

echo "== load: $DEVICES devices, rotating bodies, warm-up ${WARMUP}s"
start_app "$work/fleet/registry.json" "$work/app-load.log" > "$work/load-start.txt"
sleep 2
idle_rss=$(rss_kib "$app_pid")
read -r rps_first _ < <(run_wrk 32 10)  # the first 10 s of load, while the JIT warms up
run_wrk 32 "$((WARMUP > 10 ? WARMUP - 10 : 1))" > /dev/null
read -r rps4 p50_4 p99_4 bad4 err4 < <(run_wrk 4 "$DURATION")
read -r rps32 p50_32 p99_32 bad32 err32 < <(run_wrk 32 "$DURATION")
sleep 6  # one trim interval after the load, so that "after" shows what stays resident
after_rss=$(rss_kib "$app_pid")
peak_rss=$(hwm_kib "$app_pid")
stop_app

aot_line=""
if $AOT && ! $NATIVE; then
  # JDK 25+: the JEP 483/514 AOT cache; older JDKs: an AppCDS archive. Neither can hold classes that a custom
  # class loader defines, which is what the default fast-jar layout uses, so the app is repackaged as Quarkus's
  # aot-jar (plain class path) first. The cache is written by a training run that starts the webhook, sends it
  # real allocations, and exits.
  major=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  echo "== repackaging as aot-jar for the start-up cache"
  build package -DskipTests -Dquarkus.package.jar.type=aot-jar
  rm -f "$work/app.aot" "$work/app.jsa"
  if [ "$major" -ge 25 ]; then
    record="-XX:AOTCacheOutput=$work/app.aot"; use="-XX:AOTCache=$work/app.aot"; cache="$work/app.aot"
  else
    record="-XX:ArchiveClassesAtExit=$work/app.jsa"; use="-XX:SharedArchiveFile=$work/app.jsa"; cache="$work/app.jsa"
  fi
  echo "== training run for the start-up cache ($use)"
  start_app "$work/fleet/registry.json" "$work/app-train.log" $record > /dev/null
  BODIES="$work/fleet/bodies.txt" wrk -t1 -c4 -d5s -s "$root/bench/rotate.lua" "http://127.0.0.1:$PORT" > /dev/null 2>&1 || true
  stop_app
  if [ -f "$cache" ]; then
    for i in 1 2 3; do
      cold[aotseed$i]=$(start_app seed "$work/app-aot.log" $use; stop_app)
      cold[aotfleet$i]=$(start_app "$work/fleet/registry.json" "$work/app-aot.log" $use; stop_app)
      if [ "$LARGE_DEVICES" -gt 0 ]; then
        cold[aotlarge$i]=$(start_app "$work/large/registry.json" "$work/app-aot.log" $use; stop_app)
      fi
    done
    aot_line="$use"
  else
    echo "the training run wrote no $cache; see $work/app-train.log" >&2
  fi
  echo "== repackaging as the default fast-jar"
  build package -DskipTests
fi

echo "== OpenSSL reference: openssl speed -multi 2 ecdsap256"
ossl=$(openssl speed -seconds 5 -multi 2 ecdsap256 2>/dev/null | awk '/256 bits ecdsa \(nistp256\)/ {print $NF}' | tail -1)
ratio=$(awk -v a="$rps32" -v b="$ossl" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }')

printf '\n== results (%s, %s)\n' "$(date -u +%Y-%m-%d)" "JDK $jdk$($NATIVE && echo ', native')"
printf '| measure | value |\n|---|---|\n'
printf '| throughput, 32 connections | %s allocations/s (%s of OpenSSL'"'"'s %s verifies/s on 2 cores) |\n' "$rps32" "$ratio" "$ossl"
printf '| throughput, 4 connections | %s allocations/s |\n' "$rps4"
printf '| throughput in the first 10 s of load (2 s after the first 200), 32 connections | %s allocations/s |\n' "$rps_first"
printf '| latency p50 / p99, 4 connections | %s / %s |\n' "$p50_4" "$p99_4"
printf '| latency p50 / p99, 32 connections | %s / %s |\n' "$p50_32" "$p99_32"
printf '| non-200 answers / socket errors | %s / %s |\n' "$((bad4 + bad32))" "$((err4 + err32))"
cold_row() {  # cold_row <label> <key prefix>
  [ -n "${cold[${2}1]:-}" ] && printf '| cold start to first 200, %s | %s, %s, %s ms |\n' "$1" "${cold[${2}1]}" "${cold[${2}2]}" "${cold[${2}3]}"
  return 0
}
cold_row "seed key (DEVICE_PUBLIC_KEY)" seed
cold_row "$DEVICES-device registry" fleet
cold_row "$LARGE_DEVICES-device registry" large
if [ -n "$aot_line" ]; then
  cold_row "with $aot_line, seed key" aotseed
  cold_row "with $aot_line, $DEVICES-device registry" aotfleet
  cold_row "with $aot_line, $LARGE_DEVICES-device registry" aotlarge
fi
printf '| RSS idle / peak / after the load | %s / %s / %s MiB |\n' "$((idle_rss / 1024))" "$((peak_rss / 1024))" "$((after_rss / 1024))"
printf '\nJVM flags: %s\nraw wrk output: %s/wrk-c*.txt\n' "$JVM_FLAGS" "$work"
