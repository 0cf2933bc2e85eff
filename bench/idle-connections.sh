#!/usr/bin/env bash
# Measures what an idle keep-alive client connection costs nginx, HAProxy and Telltale in memory, on loopback
# only. For each server in turn (alone on CPU 1, the origin and the client on CPU 0): N connections
# (default 10000) each complete one GET /1k (a cache hit) and then stay open and silent, as a browser's
# connection does between page loads; the server's resident memory (VmRSS, summed over its processes) is read
# before and after, and the growth divided by N is the cost of one connection.
#
# For Telltale the JVM is asked for a full collection (jcmd <pid> GC.run) just before each reading, so that
# garbage left by the start-up and by the requests does not count as connection cost; its live heap after
# that collection is reported too. The JVM keeps heap it has committed, so RSS can only show growth.
#
# Environment: N (10000), ONLY (e.g. ONLY=telltale), OUT (a TSV file: server, metric, value), PORT_BASE (18080).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

count="${N:-10000}"
servers=$(selected_servers)
has() { case " $servers " in *" $1 "*) return 0 ;; esac; return 1; }

tools=(wrk nginx curl taskset python3)
has haproxy && tools+=(haproxy)
has telltale && tools+=(java jcmd)
require_tools "${tools[@]}"
ports=("$origin_port")
for s in $servers; do ports+=("$(server_port "$s")"); done
has telltale && ports+=("$telltale_admin_port")
require_free_ports "${ports[@]}"

# Every connection is a descriptor in the client and in the server, which inherit this limit.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((count + 1000)) ]; then
  echo "N=$count needs about $((count + 1000)) open files but the limit here is $(ulimit -n); lower N" >&2
  exit 2
fi

if has telltale; then (unset JAVA_OPTS; "$root/telltale" version > /dev/null); fi

work="$(mktemp -d -p /dev/shm telltale-idle.XXXXXX)"
trap 'stop_all "$work"; rm -rf "$work"' EXIT
write_configs "$work"
start_origin "$work"

collect_garbage() {  # server: only the JVM has garbage that would otherwise count
  [ "$1" = telltale ] || return 0
  taskset -c 0 jcmd "$(cat "$work/telltale.pid")" GC.run > /dev/null
  sleep 1
}

live_heap_kib() {  # server: the used heap after the last collection, summed over the generations
  [ "$1" = telltale ] || { echo -; return; }
  taskset -c 0 jcmd "$(cat "$work/telltale.pid")" GC.heap_info |
    awk '/total .*used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); t += v } } END { print t + 0 }'
}

tsv() { [ -n "${OUT:-}" ] && printf '%s\t%s\t%s\n' "$@" >> "$OUT"; return 0; }
[ -n "${OUT:-}" ] && { printf 'server\tmetric\tvalue\n' > "$OUT"; tsv - connections "$count"
  tsv - commit "$(measured_commit)"; }

echo "idle keep-alive connections: $count per server, each after one completed GET /1k; sources at $(measured_commit)"
printf '%-9s %12s %12s %14s %16s %9s\n' server "RSS before" "RSS after" "KiB per conn" "heap KiB/conn" alive
for s in $servers; do
  start_server "$s" "$work"
  port=$(server_port "$s")
  # The object is cached and the server's pools and code paths warmed, so that neither counts as connections.
  taskset -c 0 wrk -t1 -c50 -d3s -H "Host: bench.test" "http://127.0.0.1:$port/1k" > /dev/null
  sleep 1
  collect_garbage "$s"
  rss_before=$(server_memory_kib "$s" VmRSS)
  heap_before=$(live_heap_kib "$s")

  coproc client { taskset -c 0 python3 "$root/bench/idle_client.py" "$port" "$count" /1k; }
  read -r _ opened <&"${client[0]}" || { echo "the client failed against $s" >&2; exit 1; }
  sleep 2  # lets the server finish whatever it does after answering
  collect_garbage "$s"
  rss_after=$(server_memory_kib "$s" VmRSS)
  heap_after=$(live_heap_kib "$s")
  echo done >&"${client[1]}"
  read -r _ alive <&"${client[0]}"
  wait "$client_PID" || true

  per_conn=$(awk -v a="$rss_after" -v b="$rss_before" -v n="$opened" 'BEGIN {printf "%.2f", (a - b) / n}')
  heap_per_conn=$(awk -v a="$heap_after" -v b="$heap_before" -v n="$opened" \
    'BEGIN { if (a == "-") print "-"; else printf "%.2f", (a - b) / n }')
  printf '%-9s %8d KiB %8d KiB %14s %16s %9s\n' "$s" "$rss_before" "$rss_after" "$per_conn" "$heap_per_conn" "$alive/$opened"
  tsv "$s" rss_before_kib "$rss_before"; tsv "$s" rss_after_kib "$rss_after"; tsv "$s" rss_kib_per_connection "$per_conn"
  tsv "$s" heap_kib_per_connection "$heap_per_conn"; tsv "$s" connections_alive "$alive"
  [ "$alive" = "$opened" ] || echo "  $s closed $((opened - alive)) of the idle connections: its figure is per $opened opened" >&2
  stop_server "$s" "$work"
done
