#!/usr/bin/env bash
# The reconnect storm, side by side with the Node reference: see docs/benchmarks.md ("Storm and steady against Node").
#
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/storm.sh      # JVM, the native binary if built, and Node
#   bench/run.sh --storm                                             # the same
#
# Per engine and round: launch with a --devices N (10000) registry, each device with its own P-256 key; the moment
# the first allocation answers 200, 32 connections start sending rotating bodies (a fresh token each): the storm,
# --storm-seconds S (10). Load goes on for 20 s of warm-up, then --duration S (20) are measured: the steady rate and
# its p99. Peak RSS is the process's high-water mark (Node: its primary and workers summed). Engines run in turn,
# --runs times (3), each round starting from another engine; the table gives medians and ratios to Node's medians,
# and OpenSSL's two-core ECDSA P-256 verify rate from the same run. --engines jvm,node (for example) runs only those;
# jvm-aot (JDK 25+, only when named) is the JVM on Quarkus's aot-jar with an AOT cache trained by a 15 s run under
# load (JEP 483/515: classes loaded and linked, and method profiles, ahead of time). JVM_FLAGS replaces
# deploy/jvm.options, NATIVE_FLAGS the native binary's -Xmx192m.
# Node: node:http + jose (bench/node), one worker per core, installed from npm into bench/work on first use.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

RUNS=3 DEVICES=10000 STORM=10 DURATION=20 WARMUP=20 PORT=${PORT:-18080} ENGINES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --devices) DEVICES=$2; shift 2 ;;
    --storm-seconds) STORM=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --engines) ENGINES=$2; shift 2 ;;
    --storm) shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in wrk openssl python3 node npm; do
  command -v "$tool" >/dev/null || { echo "bench/storm.sh needs $tool" >&2; exit 1; }
done

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JVM_FLAGS=${JVM_FLAGS:-$(sed 's/#.*//' "$root/deploy/jvm.options" | xargs)}
# the native binary's heap, as bench/run.sh --native gives it
NATIVE_FLAGS=${NATIVE_FLAGS:--Xmx192m}
work="$root/bench/work/storm"
mkdir -p "$work"

# build, build_bench_tools, stop_app, median
. "$root/bench/build.sh"
echo "== building the webhook and the benchmark tools"
native_binary=$(ls "$root"/target/*-runner 2>/dev/null | head -1 || true)
if [ -n "$native_binary" ]; then cp "$native_binary" "$work/native-runner"; fi
build_bench_tools
benchcp="$root/bench/jmh/target/classes:$(cat "$root/bench/jmh/target/classpath.txt")"
engines=(jvm node)
if [ -n "$native_binary" ]; then engines=(jvm native node); fi
if [ -n "$ENGINES" ]; then
  IFS=, read -r -a engines <<<"$ENGINES"
  for e in "${engines[@]}"; do
    case $e in jvm|jvm-aot|node) ;; native) [ -n "$native_binary" ] || { echo "--engines native: no target/*-runner" >&2; exit 2; } ;;
      *) echo "unknown engine $e (jvm, jvm-aot, native, node)" >&2; exit 2 ;; esac
  done
fi

echo "== installing the Node reference (bench/node) into $work/node"
mkdir -p "$work/node"
cp "$root/bench/node/package.json" "$root/bench/node/server.mjs" "$work/node/"
(cd "$work/node" && npm install --no-audit --no-fund --silent > "$work/npm.log" 2>&1) || { cat "$work/npm.log" >&2; exit 1; }

echo "== generating $DEVICES devices and their request bodies"
"$JAVA" -cp "$benchcp" io.github.dpsjwt.bench.BenchData "$DEVICES" 5 "$work/fleet" > /dev/null
head -1 "$work/fleet/bodies.txt" > "$work/fleet/first.json"

trap stop_app EXIT

# launch_jvm <app folder> [java flags...] &: the webhook on the fleet's registry. Called with & only: the background
# subshell becomes the JVM (exec), so that $! is the JVM's pid and its peak RSS is the JVM's alone.
launch_jvm() {
  local app=$1; shift
  cd "$app" && ALLOCATOR_REGISTRY_FILE="$work/fleet/registry.json" QUARKUS_HTTP_PORT=$PORT \
    QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) ALLOCATOR_SHUTDOWN_DELAY=0s exec "$JAVA" $JVM_FLAGS "$@" -jar quarkus-run.jar
}

if [[ " ${engines[*]} " == *" jvm-aot "* ]]; then
  major=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [ "${major%%.*}" -ge 25 ] || { echo "jvm-aot needs JDK 25 or later (JAVA_HOME)" >&2; exit 2; }
  # the AOT cache cannot hold classes that the fast-jar's own class loader defines: the aot-jar is a plain class path
  echo "== packaging as aot-jar and training its AOT cache (15 s under load)"
  build package -DskipTests -Dquarkus.package.jar.type=aot-jar
  rm -rf "$work/aot-app" && cp -r "$root/target/quarkus-app" "$work/aot-app"
  build package -DskipTests
  launch_jvm "$work/aot-app" -XX:AOTCacheOutput=app.aot > "$work/app-aot-train.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 600); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$work/fleet/first.json" \
      "http://127.0.0.1:$PORT/api/validatejwt" || true)
    [ "$code" = 200 ] && break
    sleep 0.1
  done
  BODIES="$work/fleet/bodies.txt" wrk -t1 -c32 -d15s -s "$root/bench/rotate.lua" "http://127.0.0.1:$PORT" > /dev/null 2>&1
  stop_app
  [ -f "$work/aot-app/app.aot" ] || { echo "the training run wrote no AOT cache; see $work/app-aot-train.log" >&2; exit 1; }
fi

# the high-water RSS of a process and its children, in MiB
peak_mib() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)))
  done
  echo $((total / 1024))
}

# one <engine>: prints "launch_ms storm_rps steady_rps p99 peak_mib"
one() {
  local engine=$1 go="$work/launched-at" poller started launch
  rm -f "$go" "$work/first200.txt"
  python3 "$root/bench/first200.py" "$PORT" "$work/fleet/first.json" "$go" > "$work/first200.txt" &
  poller=$!
  while [ ! -s "$work/first200.txt" ]; do sleep 0.01; done
  started=$(date +%s%N)
  case $engine in
    jvm) launch_jvm "$root/target/quarkus-app" > "$work/app-jvm.log" 2>&1 & ;;
    jvm-aot) launch_jvm "$work/aot-app" -XX:AOTCache=app.aot > "$work/app-jvm-aot.log" 2>&1 & ;;
    native) ALLOCATOR_REGISTRY_FILE="$work/fleet/registry.json" QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) \
           ALLOCATOR_SHUTDOWN_DELAY=0s "$work/native-runner" $NATIVE_FLAGS > "$work/app-native.log" 2>&1 & ;;
    node) REGISTRY_FILE="$work/fleet/registry.json" PORT=$PORT WORKERS=$(nproc) node "$work/node/server.mjs" \
           > "$work/app-node.log" 2>&1 & ;;
  esac
  app_pid=$!
  echo "$started $app_pid" > "$go.tmp" && mv "$go.tmp" "$go"
  # one() runs in a subshell: stop what it started before giving up, as the script's trap cannot see it
  wait "$poller" || { echo "$engine did not answer; see $work/app-$engine.log" >&2; stop_app; exit 1; }
  launch=$(tail -n +2 "$work/first200.txt")
  local storm steady p99
  storm=$(BODIES="$work/fleet/bodies.txt" wrk -t1 -c32 -d"${STORM}s" --timeout 5s -s "$root/bench/rotate.lua" \
    "http://127.0.0.1:$PORT" 2>&1 | awk '/^Requests\/sec/ {print $2}')
  BODIES="$work/fleet/bodies.txt" wrk -t1 -c32 -d"${WARMUP}s" --timeout 5s -s "$root/bench/rotate.lua" "http://127.0.0.1:$PORT" > /dev/null 2>&1
  BODIES="$work/fleet/bodies.txt" wrk -t1 -c32 -d"${DURATION}s" --timeout 5s --latency -s "$root/bench/rotate.lua" \
    "http://127.0.0.1:$PORT" > "$work/wrk-$engine.txt" 2>&1
  steady=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk-$engine.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk-$engine.txt")
  if grep -q "Non-2xx" "$work/wrk-$engine.txt"; then
    echo "$engine answered non-200s: $work/wrk-$engine.txt" >&2; stop_app; exit 1
  fi
  local peak; peak=$(peak_mib "$app_pid")
  stop_app
  echo "$launch $storm $steady $p99 $peak"
}

ms() { awk '{ v = $1; if (v ~ /us$/) { sub("us", "", v); v /= 1000 } else if (v ~ /ms$/) { sub("ms", "", v) } else if (v ~ /s$/) { sub("s", "", v); v *= 1000 } print v }'; }

declare -A launch storm steady p99 peak
n=${#engines[@]}
for i in $(seq "$RUNS"); do
  for j in $(seq 0 $((n - 1))); do
    engine=${engines[$(((i - 1 + j) % n))]}
    read -r l s st p pk < <(one "$engine")
    launch[$engine]+="$l " storm[$engine]+="$s " steady[$engine]+="$st " p99[$engine]+="$(ms <<<"$p") " peak[$engine]+="$pk "
  done
  echo "   round $i of $RUNS done"
done

echo "== OpenSSL reference: openssl speed -multi 2 ecdsap256"
ossl=$(openssl speed -seconds 5 -multi 2 ecdsap256 2>/dev/null | awk '/256 bits ecdsa \(nistp256\)/ {print $NF}' | tail -1)

med() { tr ' ' '\n' <<<"$1" | grep . | median; }
declare -A m
for e in "${engines[@]}"; do
  m[$e,launch]=$(med "${launch[$e]}"); m[$e,storm]=$(med "${storm[$e]}"); m[$e,steady]=$(med "${steady[$e]}")
  m[$e,p99]=$(med "${p99[$e]}"); m[$e,peak]=$(med "${peak[$e]}")
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
printf '\n== results (%s, %s cores, %s devices, 32 connections; medians of %s rounds; each round: %s)\n' \
  "$(date -u +%Y-%m-%d)" "$(nproc)" "$DEVICES" "$RUNS" "${engines[*]}"
printf '| measure |'; for e in "${engines[@]}"; do printf ' %s |' "$e"; done; printf '\n|---|'; for e in "${engines[@]}"; do printf -- '---|'; done; printf '\n'
row() {  # row <label> <key> <with ratio to node: yes|no>
  printf '| %s |' "$1"
  for e in "${engines[@]}"; do
    if [ "$3" = yes ] && [ "$e" != node ] && [ -n "${m[node,$2]:-}" ]; then
      printf ' %s (%s Node) |' "${m[$e,$2]}" "$(ratio "${m[$e,$2]}" "${m[node,$2]}")"
    else printf ' %s |' "${m[$e,$2]}"; fi
  done
  printf '\n'
}
row "launch to first 200, ms" launch yes
row "allocations/s, first ${STORM} s after the first 200 (storm)" storm yes
row "allocations/s after $((STORM + WARMUP)) s (steady)" steady yes
printf '| steady, share of OpenSSL (%s verifies/s on 2 cores) |' "$ossl"
for e in "${engines[@]}"; do printf ' %s |' "$(awk -v a="${m[$e,steady]}" -v b="$ossl" 'BEGIN { printf "%.2f", a / b }')"; done; printf '\n'
row "p99 at 32 connections (steady), ms" p99 no
row "peak RSS, MiB" peak no
printf '\nEach run: launch %s; storm %s; steady %s; p99 %s; peak %s\n' \
  "$(for e in "${engines[@]}"; do printf '%s [%s] ' "$e" "${launch[$e]% }"; done)" \
  "$(for e in "${engines[@]}"; do printf '%s [%s] ' "$e" "${storm[$e]% }"; done)" \
  "$(for e in "${engines[@]}"; do printf '%s [%s] ' "$e" "${steady[$e]% }"; done)" \
  "$(for e in "${engines[@]}"; do printf '%s [%s] ' "$e" "${p99[$e]% }"; done)" \
  "$(for e in "${engines[@]}"; do printf '%s [%s] ' "$e" "${peak[$e]% }"; done)"
printf 'JVM: %s %s; native flags: %s; Node %s, jose %s\n' \
  "$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')" "$JVM_FLAGS" \
  "${NATIVE_FLAGS:-none}" "$(node --version)" "$(node -p "require('$work/node/node_modules/jose/package.json').version")"
