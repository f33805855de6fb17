#!/usr/bin/env bash
# Throughput of this working tree against another commit, in one run: see docs/benchmarks.md ("Overhead of a change").
#
#   bench/compare.sh --base dc67a6a                 # the commit to compare with (required)
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/compare.sh --base v1.0
#
# Both builds serve the same fleet (--devices N, 10000, each with its own P-256 key; rotating bodies with a fresh
# token each) with the documented JVM flags (deploy/jvm.options). Each run starts a process, warms it up for
# --warmup S (30) at 32 connections, then measures --duration S (20) at 32 connections. Runs are interleaved
# --runs times (3), each round starting from another build (base, head, head with plain-text logs), so that the
# machine's drift touches every variant alike; the table gives each variant's median and its ratio to the base's.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

BASE="" RUNS=3 DURATION=20 WARMUP=30 DEVICES=10000 PORT=${PORT:-18080}
while [ $# -gt 0 ]; do
  case "$1" in
    --base) BASE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --devices) DEVICES=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$BASE" ] || { echo "usage: bench/compare.sh --base <git commit> [--runs N] [--duration S] [--warmup S] [--devices N]" >&2; exit 2; }
git rev-parse --verify -q "$BASE^{commit}" >/dev/null || { echo "no such commit: $BASE" >&2; exit 2; }
command -v wrk >/dev/null || { echo "bench needs wrk (Debian: apt-get install wrk)" >&2; exit 1; }

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JVM_FLAGS=${JVM_FLAGS:-$(sed 's/#.*//' "$root/deploy/jvm.options" | xargs)}
work="$root/bench/work/compare"
rm -rf "$work" && mkdir -p "$work"

# build, build_bench_tools, stop_app, median
. "$root/bench/build.sh"
echo "== building this tree and the benchmark tools"
build_bench_tools
cp -r "$root/target/quarkus-app" "$work/head"
echo "== building $BASE"
git worktree add -q --detach "$work/base-src" "$BASE"
trap 'git -C "$root" worktree remove --force "$work/base-src" 2>/dev/null || true' EXIT
JAVA_HOME="${JAVA_HOME:-}" "$root/mvnw" -B -q -f "$work/base-src/pom.xml" package -DskipTests > "$work/build-base.log" 2>&1 \
  || { cat "$work/build-base.log" >&2; exit 1; }
cp -r "$work/base-src/target/quarkus-app" "$work/base"

benchcp="$root/bench/jmh/target/classes:$(cat "$root/bench/jmh/target/classpath.txt")"
"$JAVA" -cp "$benchcp" io.github.dpsjwt.bench.BenchData "$DEVICES" 5 "$work/fleet" > /dev/null

trap 'stop_app; git -C "$root" worktree remove --force "$work/base-src" 2>/dev/null || true' EXIT

# run <variant> <app folder> [env...]: one process, warmed up, then measured; prints allocations/s
run() {
  local variant=$1 folder=$2; shift 2
  (cd "$folder" && exec env "$@" ALLOCATOR_REGISTRY_FILE="$work/fleet/registry.json" QUARKUS_HTTP_PORT=$PORT \
    QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) ALLOCATOR_SHUTDOWN_DELAY=0s "$JAVA" $JVM_FLAGS -jar quarkus-run.jar) \
    > "$work/app-$variant.log" 2>&1 &
  app_pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$((PORT + 1))/q/health/ready"; do
    kill -0 "$app_pid" 2>/dev/null || { echo "$variant exited; see $work/app-$variant.log" >&2; exit 1; }
    sleep 0.2
  done
  BODIES="$work/fleet/bodies.txt" wrk -t1 -c32 -d"${WARMUP}s" --timeout 5s -s "$root/bench/rotate.lua" "http://127.0.0.1:$PORT" > /dev/null 2>&1
  BODIES="$work/fleet/bodies.txt" wrk -t1 -c32 -d"${DURATION}s" --timeout 5s -s "$root/bench/rotate.lua" "http://127.0.0.1:$PORT" \
    > "$work/wrk-$variant.txt" 2>&1
  stop_app
  awk '/^Requests\/sec/ {print $2}' "$work/wrk-$variant.txt"
}


declare -A results
variants=(base head text)
for i in $(seq "$RUNS"); do
  # each round starts with another build, so that a drift within a round favours none
  for j in 0 1 2; do
    variant=${variants[$(((i - 1 + j) % 3))]}
    case $variant in
      base) results[base]+="$(run base "$work/base") " ;;
      head) results[head]+="$(run head "$work/head") " ;;
      text) results[text]+="$(run text "$work/head" QUARKUS_LOG_CONSOLE_JSON_ENABLED=false) " ;;
    esac
  done
  echo "   round $i of $RUNS done"
done

base_median=$(tr ' ' '\n' <<<"${results[base]}" | grep . | median)
printf '\n== results (%s, %s cores, %s devices, 32 connections, %s x %s s after %s s of warm-up)\n' \
  "$(date -u +%Y-%m-%d)" "$(nproc)" "$DEVICES" "$RUNS" "$DURATION" "$WARMUP"
printf '| build | allocations/s, each run | median | vs base |\n|---|---|---|---|\n'
for variant in base head text; do
  m=$(tr ' ' '\n' <<<"${results[$variant]}" | grep . | median)
  label=$variant
  [ "$variant" = base ] && label="base ($(git rev-parse --short "$BASE"))"
  [ "$variant" = head ] && label="this tree (as deployed: JSON logs)"
  [ "$variant" = text ] && label="this tree, plain-text logs"
  printf '| %s | %s | %s | %s |\n' "$label" "${results[$variant]% }" "$m" "$(awk -v a="$m" -v b="$base_median" 'BEGIN { printf "%.3f", a / b }')"
done
printf '\nJVM: %s %s\n' "$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')" "$JVM_FLAGS"
