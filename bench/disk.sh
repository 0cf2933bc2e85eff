#!/usr/bin/env bash
# A 1 MiB cache hit served from disk on plain HTTP: Telltale's disk tier (zero-copy FileRegion) against nginx
# proxy_cache serving the same object from its disk cache (sendfile on), on loopback only. wrk and the origin run on
# CPU 0, the two servers on CPU 1, measured in interleaved rounds as in bench/run.sh. Read the ratio of CPU per
# request: both read the file through the page cache, so it is what each costs per hit besides the kernel's copy.
#
# Telltale's memory tier is kept at 4 MiB, so that it keeps objects of at most 512 KiB and never takes the 1 MiB
# object back from disk: every hit is a disk hit (the script checks telltale_cache_disk_hits and
# telltale_cache_memory_objects). Both caches live under CACHE_ROOT (default: the run's directory in /dev/shm;
# set it to a directory on a real disk to measure one).
#
# Environment: ROUNDS (3), DURATION per measurement (10s), WARMUP per server (15s), CONNECTIONS (10),
# CACHE_ROOT, PORT_BASE (18080).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

rounds="${ROUNDS:-3}"
duration="${DURATION:-10s}"
warmup="${WARMUP:-15s}"
connections="${CONNECTIONS:-10}"
servers="telltale nginx"
path=/1m

require_tools wrk nginx curl taskset java
require_free_ports "$origin_port" "$nginx_port" "$telltale_port" "$telltale_admin_port"
(unset JAVA_OPTS; "$root/telltale" version > /dev/null)

work="$(mktemp -d -p /dev/shm telltale-disk-bench.XXXXXX)"
cache_root="${CACHE_ROOT:-$work}"
trap 'stop_all "$work"; rm -rf "$work" "$cache_root/telltale-disk-bench" "$cache_root/nginx-disk-bench"' EXIT
write_configs "$work"
head -c 1048576 /dev/urandom > "$work/www/1m"
mkdir -p "$cache_root/telltale-disk-bench" "$cache_root/nginx-disk-bench"
chmod 777 "$cache_root/nginx-disk-bench"

# As bench/lib.sh's, with the cache on CACHE_ROOT and sendfile, which nginx serves disk-cache hits with.
cat > "$work/nginx.conf" <<CONF
worker_processes 1; daemon on; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 4096; }
http { access_log $work/nginx-access.log combined buffer=64k; keepalive_requests 1000000;
  sendfile on; tcp_nopush on; open_file_cache max=1000;
  proxy_cache_path $cache_root/nginx-disk-bench keys_zone=edge:10m max_size=1g;
  upstream origin { server 127.0.0.1:$origin_port; keepalive 64; keepalive_requests 1000000; }
  server { listen 127.0.0.1:$nginx_port;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_cache edge; proxy_cache_valid 200 1h; } } }
CONF

cat > "$work/telltale.yaml" <<CONF
server: {bindAddress: 127.0.0.1, httpPort: $telltale_port, ioThreads: 1}
admin: {port: $telltale_admin_port}
cache: {maxSize: 4MiB, disk: {path: "$cache_root/telltale-disk-bench", maxSize: 1GiB}}
sites:
  - name: bench
    hosts: [bench.test]
    allowedOriginNetworks: [127.0.0.0/8]
    cache: {maxObjectSize: 64MiB}
    origins: [{host: 127.0.0.1, httpPort: $origin_port}]
CONF

start_origin "$work"
for s in $servers; do start_server "$s" "$work"; done

metric() {  # name: a Telltale metric's first sample
  curl -s "http://127.0.0.1:$telltale_admin_port/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 {printf "%d", $2; exit}'
}

wrk_run() {  # port duration
  taskset -c 0 wrk -t1 -c"$connections" -d"$2" -H "Host: bench.test" "http://127.0.0.1:$1$path"
}

results="$work/results"
: > "$results"
measure() {  # server round
  local server=$1 port; port=$(server_port "$server")
  local before after out total rps us
  before=$(server_ticks "$server")
  out=$(wrk_run "$port" "$duration")
  after=$(server_ticks "$server")
  : > "$work/nginx-access.log"; : > "$work/telltale-access.log"
  if echo "$out" | grep -q "Non-2xx"; then
    echo "REFUSED $server: some answers were not 2xx:" >&2; echo "$out" >&2; exit 1
  fi
  total=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  us=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$total" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  printf '%s\t%s\t%s\n' "$server" "$rps" "$us" >> "$results"
  printf '  %-9s %10s req/s  %8s us CPU/req\n' "$server" "$rps" "$us"
}

echo "warming up: $path once through each cache, then $warmup of load per server"
for s in $servers; do
  curl -s -o /dev/null -H "Host: bench.test" "http://127.0.0.1:$(server_port "$s")$path"
done
# Telltale writes the object's file as it streams in: wait until it is indexed, or every hit would be a miss.
for _ in $(seq 100); do [ "$(metric telltale_cache_disk_objects)" = 1 ] && break; sleep 0.1; done
for s in $servers; do wrk_run "$(server_port "$s")" "$warmup" > /dev/null; done

disk_hits_before=$(metric telltale_cache_disk_hits)
for round in $(seq "$rounds"); do
  echo "round $round of $rounds"
  if [ $((round % 2)) = 1 ]; then order="telltale nginx"; else order="nginx telltale"; fi
  for s in $order; do measure "$s" "$round"; sleep 1; done
done
disk_hits=$(( $(metric telltale_cache_disk_hits) - disk_hits_before ))
memory_objects=$(metric telltale_cache_memory_objects)

echo
echo "commit $(measured_commit); $rounds rounds of $duration, $connections connections, $path from disk"
awk -F'\t' '
  { n[$1]++; rps[$1, n[$1]] = $2; us[$1, n[$1]] = $3 }
  function median(a, k, m,   i, j, t, v) {
    for (i = 1; i <= m; i++) v[i] = a[k, i]
    for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j] < v[j - 1]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }
  END {
    for (s in n) { r[s] = median(rps, s, n[s]); c[s] = median(us, s, n[s]); printf "%-9s %10.0f req/s  %8.1f us CPU/req (medians)\n", s, r[s], c[s] }
    if (c["nginx"] > 0) printf "Telltale/nginx: req/s %.2f, CPU us/req %.2f (target: CPU ratio <= 1)\n", r["telltale"] / r["nginx"], c["telltale"] / c["nginx"]
  }' "$results"
echo "Telltale: $disk_hits disk hits while measured, $memory_objects objects in memory (expected: 0)"
echo "RSS: Telltale $(server_memory_kib telltale VmRSS) KiB, nginx $(server_memory_kib nginx VmRSS) KiB"
