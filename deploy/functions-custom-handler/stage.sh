#!/usr/bin/env bash
# Lays out an Azure Functions custom-handler app around the native binary:
#   target/functions-custom-handler/{host.json, validatejwt/function.json, dps-jwt-allocator}
# Build the binary first (Linux x86-64, as Functions runs it):
#   ./mvnw package -Dnative -Dquarkus.native.container-build=true
# then publish the folder: cd target/functions-custom-handler && func azure functionapp publish <app>
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$(ls "$root"/target/*-runner 2>/dev/null | head -1 || true)"
if [ -z "$binary" ]; then
  echo "no native binary in target/: run ./mvnw package -Dnative -Dquarkus.native.container-build=true first" >&2
  exit 1
fi
out="$root/target/functions-custom-handler"
rm -rf "$out"
mkdir -p "$out/validatejwt"
cp "$root/deploy/functions-custom-handler/host.json" "$out/"
cp "$root/deploy/functions-custom-handler/validatejwt/function.json" "$out/validatejwt/"
cp "$binary" "$out/dps-jwt-allocator"
chmod +x "$out/dps-jwt-allocator"
echo "staged $out"
