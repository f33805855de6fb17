# shellcheck shell=bash
# Sourced by the bench scripts, which set root to the project folder: building, and stopping what they start.
# shellcheck disable=SC2154

# build <maven args...>: runs the wrapper quietly; Maven's output (the device tool's build is not quiet) goes to
# bench/work/build.log and is shown only when the build fails
build() {
  mkdir -p "$root/bench/work"
  JAVA_HOME="${JAVA_HOME:-}" "$root/mvnw" -B -q "$@" > "$root/bench/work/build.log" 2>&1 \
    || { cat "$root/bench/work/build.log" >&2; exit 1; }
}

# build_bench_tools: the webhook, installed for the JMH module, then the JMH module and its classpath file
build_bench_tools() {
  build install -DskipTests
  build -f "$root/bench/jmh/pom.xml" package
}

# stop_app: stops the process a script started (app_pid), and its children (Node's workers), and waits for it
app_pid=""
stop_app() {
  if [ -n "$app_pid" ]; then
    pkill -P "$app_pid" 2>/dev/null || true
    kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; app_pid=""
  fi
}

# median: the median of the numbers on standard input, one a line (the mean of the middle two for an even count)
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
