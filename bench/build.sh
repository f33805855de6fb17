# shellcheck shell=bash
# Sourced by the bench scripts, which set root to the project folder.
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
