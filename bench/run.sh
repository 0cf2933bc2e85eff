#!/usr/bin/env bash
# Measures Telltale against nginx's proxy_cache on this machine, on loopback only: wrk and the shared origin
# (nginx serving fixed files) on CPU 0, the server under test on CPU 1; state lives in /dev/shm. Prints requests/s, p99 latency,
# CPU microseconds per request and peak RSS for: 1 KiB cache hits, 16 KiB cache hits, uncacheable pass-through.
# Needs wrk and nginx (Debian packages) and a built jar (./telltale version builds it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d -p /dev/shm)"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-50}"
trap 'kill $(jobs -p) 2>/dev/null || true; for f in origin cache; do [ -f "$work/$f.pid" ] && kill "$(cat "$work/$f.pid")" 2>/dev/null; done; rm -rf "$work"' EXIT

mkdir -p "$work/www" "$work/cache"
# nginx's workers run as an unprivileged user: they must be able to read the files and write the cache.
chmod 755 "$work" "$work/www"
chmod 777 "$work/cache"
head -c 1024 /dev/zero | tr '\0' 'a' > "$work/www/1k"
head -c 16384 /dev/zero | tr '\0' 'b' > "$work/www/16k"
cp "$work/www/1k" "$work/www/pass"

cat > "$work/origin.conf" <<CONF
worker_processes 1; daemon on; pid $work/origin.pid; error_log $work/origin-error.log;
events { worker_connections 4096; }
http { access_log off;
  server { listen 127.0.0.1:18081; root $work/www;
    location = /pass { add_header Cache-Control "no-store"; }
    location / { add_header Cache-Control "max-age=3600"; } } }
CONF
cat > "$work/cache.conf" <<CONF
worker_processes 1; daemon on; pid $work/cache.pid; error_log $work/cache-error.log;
events { worker_connections 4096; }
http { access_log $work/cache-access.log combined buffer=64k; keepalive_requests 1000000;
  open_file_cache max=1000;
  proxy_cache_path $work/cache keys_zone=edge:10m max_size=256m;
  upstream origin { server 127.0.0.1:18081; keepalive 64; }
  server { listen 127.0.0.1:18082;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_cache edge; proxy_cache_valid 200 1h; } } }
CONF
cat > "$work/telltale.yaml" <<CONF
server: {bindAddress: 127.0.0.1, httpPort: 18083, ioThreads: 1}
admin: {port: 18093}
sites:
  - name: bench
    hosts: [bench.test]
    allowedOriginNetworks: [127.0.0.0/8]
    origins: [{host: 127.0.0.1, httpPort: 18081}]
CONF

taskset -c 0 nginx -c "$work/origin.conf" -p "$work"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
children_ticks() { local total=0; for p in "$@"; do total=$((total + $(cpu_ticks "$p"))); done; echo "$total"; }
hz=$(getconf CLK_TCK)

bench() {  # name port path pids...
  local name=$1 port=$2 path=$3; shift 3
  local before; before=$(children_ticks "$@")
  local out; out=$(taskset -c 0 wrk -t1 -c"$connections" -d"$duration" --latency -H "Host: bench.test" "http://127.0.0.1:$port$path")
  local after; after=$(children_ticks "$@")
  if echo "$out" | grep -q "Non-2xx"; then
    echo "$name $path: some answers were not 2xx, the figures would be meaningless:" >&2
    echo "$out" >&2
    exit 1
  fi
  local rps; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  local total; total=$(echo "$out" | awk '/requests in/ {print $1}')
  local p99; p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  local us; us=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$total" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  printf '%-10s %-6s %10s req/s  p99 %-8s  %6s us CPU/req\n' "$name" "$path" "$rps" "$p99" "$us"
}

warm() {  # port: every path once through the cache, then load, so no path pays for a cold start
  for path in /1k /16k /pass; do
    curl -s -o /dev/null -H "Host: bench.test" "http://127.0.0.1:$1$path"
    taskset -c 0 wrk -t1 -c"$connections" -d"${WARMUP:-10s}" -H "Host: bench.test" "http://127.0.0.1:$1$path" > /dev/null
  done
}

# Each server has CPU 1 to itself while it is measured.
taskset -c 1 nginx -c "$work/cache.conf" -p "$work"
nginx_pids=$(pgrep -P "$(cat "$work/cache.pid")" -f "worker process")
warm 18082
for path in /1k /16k /pass; do bench nginx 18082 "$path" $nginx_pids; done
for p in $nginx_pids; do echo "nginx worker peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$p/status)"; done
kill "$(cat "$work/cache.pid")"

taskset -c 1 java -Ddnsjava.nio.selector_timeout=20 -XX:+UseParallelGC -XX:ActiveProcessorCount=1 \
  -Xms48m -Xmx96m -Xmn24m -XX:ReservedCodeCacheSize=48m -Xss512k \
  -jar "$root/gateway-server/target/telltale.jar" run --config "$work/telltale.yaml" > "$work/telltale.log" 2>&1 &
telltale_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:18093/readyz" && break; sleep 0.2; done
warm 18083
for path in /1k /16k /pass; do bench telltale 18083 "$path" "$telltale_pid"; done
echo "telltale peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$telltale_pid/status)"
