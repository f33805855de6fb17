#!/usr/bin/env bash
# The live registry at fleet sizes: for 10,000, 100,000 and 1,000,000 devices (each with a P-256 key of its own),
# launch to ready, the full read with every key parsed, the reload after one device changed, the revocation delay
# (a device blocked in the file until the webhook refuses it, with a 1 s refresh), the live heap after the load
# and the peak RSS. Each figure is the median of 3 runs.
#
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/registry.sh
#
# Options (or environment): --sizes "N ..." (SIZES, "10000 100000 1000000"), --runs K (RUNS, 3),
# --native (measure target/*-runner instead of the jar, when a native build exists).
# The heap given to each size is the one docs/operations.md documents (HEAP_MB overrides it).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${SIZES:-"10000 100000 1000000"}
RUNS=${RUNS:-3}
NATIVE=false
PORT=${PORT:-18093}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18094}
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --native) NATIVE=true; shift ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JCMD="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"
JVM_FLAGS=${JVM_FLAGS:-$(sed 's/#.*//' "$root/deploy/jvm.options" | xargs)}
work="$root/bench/work"
mkdir -p "$work"
. "$root/bench/build.sh"

# heap_mb <devices>: the documented heap (docs/operations.md): 192 MiB, plus 1.5 MiB per 1,000 devices above 50,000
heap_mb() { local n=$1; if [ "$n" -le 50000 ]; then echo 192; else echo $(( 192 + (n - 50000) * 3 / 2000 )); fi; }
# median_of <numbers...>: bench/build.sh's median, of arguments
median_of() { printf '%s\n' "$@" | median; }

echo "== building the webhook and the benchmark tools"
build_bench_tools
benchcp="$root/bench/jmh/target/classes:$(cat "$root/bench/jmh/target/classpath.txt")"

trap stop_app EXIT

printf '| devices | heap | launch to ready | full read, keys parsed | reload, one device changed | revocation delay | live heap after load | peak RSS |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for n in $SIZES; do
  data="$work/registry-$n"
  if [ ! -s "$data/registry.json" ]; then
    "$JAVA" -cp "$benchcp" io.github.dpsjwt.bench.RegistryData "$n" "$data" >&2
  fi
  heap=${HEAP_MB:-$(heap_mb "$n")}
  ready=() full=() reload=() revoke=() live=() peak=()
  for _ in $(seq "$RUNS"); do
    cp "$data/registry.json" "$work/registry-live.json"
    log="$work/app-registry-$n.log"
    started=$(date +%s%N)
    if $NATIVE; then
      ALLOCATOR_REGISTRY_FILE="$work/registry-live.json" ALLOCATOR_REGISTRY_REFRESH=1s QUARKUS_HTTP_PORT=$PORT \
        QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT ALLOCATOR_SHUTDOWN_DELAY=0s "$(ls "$root"/target/*-runner | head -1)" -Xmx${heap}m > "$log" 2>&1 &
    else
      (cd "$root/target/quarkus-app" && ALLOCATOR_REGISTRY_FILE="$work/registry-live.json" ALLOCATOR_REGISTRY_REFRESH=1s \
        QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT ALLOCATOR_SHUTDOWN_DELAY=0s exec "$JAVA" $JVM_FLAGS -Xmx${heap}m -jar quarkus-run.jar) > "$log" 2>&1 &
    fi
    app_pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready"; do
      kill -0 "$app_pid" 2>/dev/null || { echo "the webhook exited; see $log" >&2; exit 1; }
      sleep 0.02
    done
    ready+=($(( ($(date +%s%N) - started) / 1000000 )))
    until grep -q 'registry ready: .* usable credentials' "$log"; do sleep 0.1; done
    full+=("$(grep -o 'registry ready: .* usable credentials.* in [0-9]* ms' "$log" | grep -o '[0-9]* ms$' | tr -dc 0-9)")
    if ! $NATIVE; then
      "$JCMD" "$app_pid" GC.run > /dev/null
      live+=($(( $("$JCMD" "$app_pid" GC.heap_info | awk '/total [0-9]+K, used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); gsub(/[^0-9]/,"",v); s+=v}} END {print s}') / 1024 )))
    fi
    revoke+=("$(python3 "$root/bench/revoke.py" "$PORT" "$data/first.json" "$work/registry-live.json")")
    until grep -q 'registry reloaded' "$log"; do sleep 0.1; done
    reload+=("$(grep -o 'registry reloaded: .* in [0-9]* ms' "$log" | tail -1 | grep -o '[0-9]* ms$' | tr -dc 0-9)")
    peak+=($(( $(awk '/^VmHWM/ {print $2}' "/proc/$app_pid/status") / 1024 )))
    stop_app
  done
  livecell=$([ ${#live[@]} -gt 0 ] && echo "$(median_of "${live[@]}") MiB" || echo "n/a (native)")
  printf '| %s | %s MiB | %s ms | %s ms | %s ms | %s ms | %s | %s MiB |\n' "$n" "$heap" "$(median_of "${ready[@]}")" \
    "$(median_of "${full[@]}")" "$(median_of "${reload[@]}")" "$(median_of "${revoke[@]}")" "$livecell" "$(median_of "${peak[@]}")"
done
rm -f "$work/registry-live.json"
