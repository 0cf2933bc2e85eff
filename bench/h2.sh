#!/usr/bin/env bash
# HTTP/2 cache hits with h2load: nginx (`listen ... http2`, proxy_cache), HAProxy (`bind ... proto h2`, its cache)
# and Telltale (prior-knowledge h2c on its plain listener), all in front of the same origin, on loopback only.
# h2load and the origin run on CPU 0, the servers under test on CPU 1, measured in interleaved rounds as
# bench/run.sh does. Workloads: /1k and /16k hits, CONNECTIONS (50) x STREAMS (10) concurrent streams.
#
# Environment: ROUNDS (3), DURATION in seconds per measurement (10), WARMUP seconds per workload and server (15),
# CONNECTIONS (50), STREAMS (10), ONLY (e.g. ONLY=telltale,nginx), PORT_BASE (18080).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

rounds="${ROUNDS:-3}"
duration="${DURATION:-10}"
warmup="${WARMUP:-15}"
connections="${CONNECTIONS:-50}"
streams="${STREAMS:-10}"
workloads="/1k /16k"
servers=$(selected_servers)
has() { case " $servers " in *" $1 "*) return 0 ;; esac; return 1; }

tools=(h2load nginx curl taskset)
has haproxy && tools+=(haproxy)
has telltale && tools+=(java)
require_tools "${tools[@]}"
ports=("$origin_port")
for s in $servers; do ports+=("$(server_port "$s")"); done
has telltale && ports+=("$telltale_admin_port")
require_free_ports "${ports[@]}"

if has telltale; then (unset JAVA_OPTS; "$root/telltale" version > /dev/null); fi

work="$(mktemp -d -p /dev/shm telltale-bench-h2.XXXXXX)"
trap 'stop_all "$work"; rm -rf "$work"' EXIT
write_configs "$work"
# The same servers as bench/run.sh, their client listeners speaking HTTP/2 with prior knowledge.
sed -i "s/listen 127.0.0.1:$nginx_port;/listen 127.0.0.1:$nginx_port http2;/" "$work/nginx.conf"
sed -i "s/bind 127.0.0.1:$haproxy_port\$/bind 127.0.0.1:$haproxy_port proto h2/" "$work/haproxy.cfg"
# nginx 1.22 and HAProxy speak only HTTP/2 on such a listener: readiness is asked either way.
wait_for_http() {  # url name
  local _
  for _ in $(seq 150); do
    curl -s -o /dev/null -f -H "Host: bench.test" "$1" && return 0
    curl -s -o /dev/null -f --http2-prior-knowledge -H "Host: bench.test" "$1" && return 0
    sleep 0.2
  done
  echo "$2 did not answer $1 within 30 s; its logs are in $work" >&2
  exit 1
}
start_origin "$work"
for s in $servers; do start_server "$s" "$work"; done

h2load_run() {  # port path seconds
  taskset -c 0 h2load -c "$connections" -m "$streams" -t 1 -D "$3" -H ":authority: bench.test" \
    "http://127.0.0.1:$1$2" 2>&1
}

results="$work/results"
: > "$results"
measure() {  # server path round
  local server=$1 path=$2 round=$3 port; port=$(server_port "$server")
  local ticks_before ticks_after out rps done_n failed us
  ticks_before=$(server_ticks "$server")
  out=$(h2load_run "$port" "$path" "$duration")
  ticks_after=$(server_ticks "$server")
  : > "$work/nginx-access.log"; : > "$work/haproxy-access.log"; : > "$work/telltale-access.log"
  rps=$(echo "$out" | awk '/^finished in/ {print $4}')
  done_n=$(echo "$out" | awk '/^requests:/ {print $8}')
  # Streams still open when the time is up are counted as started, not done; none may fail or be refused.
  failed=$(echo "$out" | awk '/^requests:/ {print $10 + $12 + $14}')
  local refused; refused=$(echo "$out" | awk '/^status codes:/ {print $5 + $7 + $9}')
  if [ -z "$rps" ] || [ "${failed:-1}" != 0 ] || [ "${refused:-1}" != 0 ]; then
    echo "REFUSED $server $path round $round: not every stream ended in a 2xx:" >&2
    echo "$out" | tail -8 >&2
    printf '%s\t%s\t%s\tFAILED\n' "$server" "$path" "$round" >> "$results"
    return
  fi
  us=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$hz" -v n="$done_n" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$server" "$path" "$round" "$rps" "$us" >> "$results"
  printf '  %-9s %-6s %10s req/s  %6s us CPU/req\n' "$server" "$path" "$rps" "$us"
}

echo "warming up: every path once through each cache, then ${warmup}s of load per path and server"
for s in $servers; do
  for path in $workloads; do
    curl -s -o /dev/null --http2-prior-knowledge -H "Host: bench.test" "http://127.0.0.1:$(server_port "$s")$path"
    h2load_run "$(server_port "$s")" "$path" "$warmup" > /dev/null
  done
done

read -r -a order <<< "$servers"
for round in $(seq "$rounds"); do
  echo "round $round of $rounds"
  for path in $workloads; do
    for i in $(seq 0 $((${#order[@]} - 1))); do
      measure "${order[$(( (i + round - 1) % ${#order[@]} ))]}" "$path" "$round"
      sleep 1
    done
  done
done

echo
echo "SUMMARY  sources at $(measured_commit), $rounds rounds of ${duration}s, $connections connections x $streams streams, medians"
awk -F'\t' '$4 != "FAILED" { k = $1 " " $2; n[k]++; r[k, n[k]] = $4; c[k, n[k]] = $5 }
  function median(a, k, m,   i, j, t, v) {
    for (i = 1; i <= m; i++) v[i] = a[k, i]
    for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j] < v[j - 1]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }
  END { for (k in n) printf "%-16s %10.0f req/s %8.1f us CPU/req\n", k, median(r, k, n[k]), median(c, k, n[k]) }' "$results" | sort
