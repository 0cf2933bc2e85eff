#!/usr/bin/env bash
# Puts each proxy (Telltale, nginx proxy_cache; HAProxy with ONLY=...) in front of an origin that flaps, on
# loopback only, and reports what its clients and the origin saw (issue 19). The origin (bench/flapping_origin.py)
# is healthy for HEALTHY seconds, then in turn refuses connections, resets them, answers 503 with Retry-After: 1,
# stalls, or sends a head and 10 bytes and stalls, for OUTAGE seconds each, healthy again in between. CONNS
# keep-alive clients ask for OBJECTS objects (64 bytes, max-age=1, with an ETag) for SECONDS.
#
# Reported per server: the share of answers to requests made and answered within a healthy phase that were
# complete 200s (nginx: 100% in the issue's run), and the requests that reached the origin during outages
# (fewer is better, as long as the first share stays high), and the server's memory: its peak resident set during
# the run and the resident set when the load ended (summed over its processes).
#
# Environment: SECONDS_RUN (60), CONNS (200), OBJECTS (20), HEALTHY (4), OUTAGE (2), ONLY (e.g. ONLY=telltale),
# OUT (a TSV file: server, metric, value), PORT_BASE (18080). A short smoke: SECONDS_RUN=15 CONNS=20.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

run_seconds="${SECONDS_RUN:-60}"
conns="${CONNS:-200}"
objects="${OBJECTS:-20}"
servers=$(ONLY="${ONLY:-telltale,nginx}" selected_servers)
has() { case " $servers " in *" $1 "*) return 0 ;; esac; return 1; }

tools=(curl taskset python3)
has nginx && tools+=(nginx)
has haproxy && tools+=(haproxy)
has telltale && tools+=(java)
require_tools "${tools[@]}"
ports=("$origin_port")
for s in $servers; do ports+=("$(server_port "$s")"); done
has telltale && ports+=("$telltale_admin_port")
require_free_ports "${ports[@]}"
ulimit -n "$(ulimit -Hn)"

if has telltale; then (unset JAVA_OPTS; "$root/telltale" version > /dev/null); fi

work="$(mktemp -d -p /dev/shm telltale-flap.XXXXXX)"
trap 'stop_all "$work"; rm -rf "$work"' EXIT
write_configs "$work"

start_flapping_origin() {  # a fresh origin per server, so that its phases and counts start with the run
  taskset -c 0 python3 "$root/bench/flapping_origin.py" origin "$origin_port" "${HEALTHY:-4}" "${OUTAGE:-2}" \
    2> "$work/origin-error.log" &
  echo $! > "$work/origin.pid"
  wait_for_http "http://127.0.0.1:$origin_port/obj/0" origin
}

tsv() { [ -n "${OUT:-}" ] && printf '%s\t%s\t%s\n' "$@" >> "$OUT"; return 0; }
[ -n "${OUT:-}" ] && { printf 'server\tmetric\tvalue\n' > "$OUT"; tsv - commit "$(measured_commit)"; }

echo "flapping origin: ${HEALTHY:-4} s healthy, ${OUTAGE:-2} s per outage; $conns clients for $run_seconds s;" \
  "sources at $(measured_commit)"
printf '%-9s %10s %18s %18s %9s %9s   %s\n' server answers "healthy 200 whole" "outage origin req" "peak MiB" \
  "end MiB" "by outage"
for s in $servers; do
  start_flapping_origin
  start_server "$s" "$work"
  report=$(taskset -c 0 python3 "$root/bench/flapping_origin.py" load "$(server_port "$s")" "$origin_port" \
    "$run_seconds" "$conns" "$objects")
  peak_mib=$(( $(server_memory_kib "$s" VmHWM) / 1024 ))
  end_mib=$(( $(server_memory_kib "$s" VmRSS) / 1024 ))
  report+=$'\n'"peak_rss_mib $peak_mib"$'\n'"end_rss_mib $end_mib"
  stop_server "$s" "$work"
  stop_server origin "$work"
  value() { awk -v k="$1" '$1 == k {print $2}' <<< "$report"; }
  by=$(for o in refusing resetting unavailable stalling trickling; do
    printf '%s=%s ' "$o" "$(value "outage_origin_requests_$o")"; done)
  printf '%-9s %10s %17s%% %18s %9s %9s   %s\n' "$s" "$(value answers)" "$(value healthy_complete_200_percent)" \
    "$(value outage_origin_requests)" "$peak_mib" "$end_mib" "$by"
  while read -r k v; do tsv "$s" "$k" "$v"; done <<< "$report"
done
