#!/usr/bin/env bash
# Runs the public HTTP cache test suite (https://cache-tests.fyi, npm package http-cache-tests) through Telltale as
# a reverse proxy, on loopback only, and lists every test that did not pass with its kind: "required" tests are
# RFC 9111 requirements, "optimal" ones what a good cache does, "check" ones only record a behaviour.
#
# Needs node and npm. SUITE: a checkout of the suite's repository (github.com/http-tests/cache-tests), whose tests are
# newer than the published package (CDN-Cache-Control, 1xx, and tests re-classed since); without it the package,
# version 0.4.5, comes from the npm registry. docs/caching.md has the latest run. Environment: PORT_BASE (18400): the suite's origin
# listens on PORT_BASE, Telltale on PORT_BASE+80 and its admin on PORT_BASE+81; OUT: a file for the suite's JSON.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
base="${PORT_BASE:-18400}"
origin_port=$base
proxy_port=$((base + 80))
admin_port=$((base + 81))
for tool in node npm java curl; do
  command -v "$tool" > /dev/null || { echo "cache-tests: $tool is needed" >&2; exit 2; }
done

work="$(mktemp -d -p /dev/shm telltale-cache-tests.XXXXXX)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
if [ -n "${SUITE:-}" ]; then
  cp -r "$SUITE" "$work/suite"
  suite="$work/suite"
  (cd "$suite" && npm install --silent --no-audit --no-fund --omit=dev > /dev/null)
else
  (cd "$work" && npm install --silent --no-audit --no-fund --omit=dev http-cache-tests@0.4.5 > /dev/null)
  suite="$work/node_modules/http-cache-tests"
fi
engine=""
[ -d "$suite/test-engine" ] && engine="test-engine/"

export npm_config_port=$origin_port npm_config_protocol=http npm_config_pidfile="$work/origin.pid"
(cd "$suite" && exec node "${engine}server/server.mjs") > "$work/origin.log" 2>&1 < /dev/null &
pids+=($!)

cat > "$work/telltale.yaml" <<CONF
server: {bindAddress: 127.0.0.1, httpPort: $proxy_port, ioThreads: 1}
admin: {port: $admin_port}
sites:
  - name: cache-tests
    hosts: ["*"]
    allowedOriginNetworks: [127.0.0.0/8]
    origins: [{host: 127.0.0.1, httpPort: $origin_port}]
CONF
(unset JAVA_OPTS; exec "$root/telltale" run --config "$work/telltale.yaml") > "$work/telltale.log" 2>&1 &
pids+=($!)
for _ in $(seq 150); do
  curl -s -o /dev/null "http://127.0.0.1:$admin_port/readyz" && break
  sleep 0.2
done

results="${OUT:-$work/results.json}"
(cd "$suite" && npm_config_base="http://127.0.0.1:$proxy_port" npm_config_id="" npm_package_config_id="" \
  node --no-warnings "${engine}cli.mjs") > "$results"

cat > "$work/list.mjs" <<'JS'
import fs from 'fs'
const tests = (await import(process.argv[2] + '/tests/index.mjs')).default
if (fs.existsSync(process.argv[2] + '/tests/surrogate-control.mjs')) {
  tests.push((await import(process.argv[2] + '/tests/surrogate-control.mjs')).default)
}
const results = JSON.parse(fs.readFileSync(process.argv[3]))
const counts = {}
const lines = []
for (const suite of tests) {
  for (const test of suite.tests) {
    const kind = test.kind || 'required'
    const result = results[test.id]
    const outcome = result === true ? 'pass' : Array.isArray(result) ? result[0].toLowerCase() : 'not run'
    counts[kind] = counts[kind] || {}
    counts[kind][outcome] = (counts[kind][outcome] || 0) + 1
    if (result !== true && result !== undefined) {
      lines.push(`${kind}\t${test.id}\t${outcome}: ${String(result[1] || '').slice(0, 120)}`)
    }
  }
}
for (const [kind, c] of Object.entries(counts)) console.log(kind, JSON.stringify(c))
lines.sort().forEach(l => console.log(l))
JS
node "$work/list.mjs" "$suite" "$results"
