#!/usr/bin/env bash
# Measures Telltale, nginx proxy_cache and HAProxy's cache side by side on this machine, on loopback only.
# wrk and the shared origin (nginx serving fixed files) run on CPU 0, the servers under test on CPU 1; state
# lives in /dev/shm. Workloads: /1k and /16k cache hits, /pass an uncacheable 1 KiB pass-through (no-store).
#
# The three servers run together for the whole run and are measured in interleaved rounds (in each round,
# for each workload, each server in turn, the order rotating from round to round), so that noise from other
# work on the machine spreads over all of them instead of favouring whichever went first. Read the RATIOS:
# they are far steadier than the absolute figures on a shared two-core machine.
#
# Environment: ROUNDS (5), DURATION per measurement (10s), WARMUP per workload and server (20s), CONNECTIONS (50),
# ONLY (e.g. ONLY=telltale, or ONLY=telltale,nginx) to run fewer servers, e.g. while profiling one,
# OUT (a file for a TSV summary: server, workload, metric, value), PORT_BASE (18080).
# Telltale is started through ./telltale (which builds the jar when it is stale) with its default JVM options.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

rounds="${ROUNDS:-5}"
duration="${DURATION:-10s}"
warmup="${WARMUP:-20s}"  # on one CPU the JIT needs 15-20 s of load before Telltale settles
connections="${CONNECTIONS:-50}"
workloads="/1k /16k /pass"
servers=$(selected_servers)
has() { case " $servers " in *" $1 "*) return 0 ;; esac; return 1; }

tools=(wrk nginx curl taskset)  # nginx is the origin whatever is measured
has haproxy && tools+=(haproxy)
has telltale && tools+=(java)
require_tools "${tools[@]}"
ports=("$origin_port")
for s in $servers; do ports+=("$(server_port "$s")"); done
has telltale && ports+=("$telltale_admin_port")
require_free_ports "${ports[@]}"

# Built before anything is timed, so that a stale jar is not rebuilt while the other servers are measured.
if has telltale; then (unset JAVA_OPTS; "$root/telltale" version > /dev/null); fi

work="$(mktemp -d -p /dev/shm telltale-bench.XXXXXX)"
trap 'stop_all "$work"; rm -rf "$work"' EXIT
write_configs "$work"
start_origin "$work"
for s in $servers; do start_server "$s" "$work"; done

wrk_run() {  # port path duration
  taskset -c 0 wrk -t1 -c"$connections" -d"$3" --latency -H "Host: bench.test" "http://127.0.0.1:$1$2"
}

to_ms() {  # a wrk latency such as 812.00us, 1.20ms or 1.01s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/) n *= 1000; printf "%.3f", n }'
}

# One line per measurement: server workload round rps p99_ms cpu_us_per_req origin_requests_per_request
results="$work/results"
: > "$results"
failed=0

measure() {  # server path round
  local server=$1 path=$2 round=$3 port; port=$(server_port "$server")
  local ticks_before origin_before out ticks_after origin_after
  ticks_before=$(server_ticks "$server")
  origin_before=$(origin_requests)
  out=$(wrk_run "$port" "$path" "$duration")
  ticks_after=$(server_ticks "$server")
  origin_after=$(origin_requests)
  # The access logs would otherwise fill /dev/shm over a long run; all of them are opened for appending.
  : > "$work/nginx-access.log"; : > "$work/haproxy-access.log"; : > "$work/telltale-access.log"

  if echo "$out" | grep -q "Non-2xx"; then
    echo "REFUSED $server $path round $round: some answers were not 2xx, the figures would be meaningless:" >&2
    echo "$out" >&2
    failed=1
    printf '%s\t%s\t%s\tFAILED\n' "$server" "$path" "$round" >> "$results"
    return
  fi
  local rps total p99 us per_origin errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  total=$(echo "$out" | awk '/requests in/ {print $1}')
  p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
  us=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$hz" -v n="$total" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  # The status requests themselves (one before, one after) are not the proxy's.
  per_origin=$(awk -v o=$((origin_after - origin_before - 1)) -v n="$total" 'BEGIN {printf "%.3f", o / n}')
  errors=$(echo "$out" | awk '/Socket errors/ {print}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$path" "$round" "$rps" "$p99" "$us" "$per_origin" >> "$results"
  printf '  %-9s %-6s %10s req/s  p99 %8s ms  %6s us CPU/req  %6s origin req/req%s\n' \
    "$server" "$path" "$rps" "$p99" "$us" "$per_origin" "${errors:+  ($errors)}"
}

echo "warming up: every path once through each cache, then $warmup of load per path and server"
for s in $servers; do
  for path in $workloads; do
    curl -s -o /dev/null -H "Host: bench.test" "http://127.0.0.1:$(server_port "$s")$path"
    wrk_run "$(server_port "$s")" "$path" "$warmup" > /dev/null
  done
done

read -r -a order <<< "$servers"
for round in $(seq "$rounds"); do
  echo "round $round of $rounds"
  for path in $workloads; do
    # Rotating the order each round keeps any server from always following the same one.
    for i in $(seq 0 $((${#order[@]} - 1))); do
      measure "${order[$(( (i + round - 1) % ${#order[@]} ))]}" "$path" "$round"
      sleep 1
    done
  done
done

declare -A rss
for s in $servers; do rss[$s]=$(server_memory_kib "$s" VmHWM); done

# Medians over rounds; p99 and CPU are medians of the per-round figures too.
summary=$(awk -F'\t' '
  $4 == "FAILED" { failedn[$1 FS $2]++; next }
  { k = $1 FS $2; n[k]++; rps[k, n[k]] = $4; p99[k, n[k]] = $5; cpu[k, n[k]] = $6; org[k, n[k]] = $7 }
  function median(a, k, m,   i, j, t, v) {
    for (i = 1; i <= m; i++) v[i] = a[k, i]
    for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j] < v[j - 1]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }
  function extreme(a, k, m, sign,   i, e) { e = a[k, 1]; for (i = 2; i <= m; i++) if (sign * a[k, i] > sign * e) e = a[k, i]; return e }
  END {
    for (k in n) printf "%s\t%.0f\t%.0f\t%.0f\t%.3f\t%.1f\t%.3f\t%d\n", k, median(rps, k, n[k]), extreme(rps, k, n[k], -1),
      extreme(rps, k, n[k], 1), median(p99, k, n[k]), median(cpu, k, n[k]), median(org, k, n[k]), n[k]
    for (k in failedn) if (!(k in n)) printf "%s\tFAILED\n", k
  }' "$results")

value() {  # server path column (3 req/s median ... 8 origin/req): from the summary
  echo "$summary" | awk -F'\t' -v s="$1" -v p="$2" -v c="$3" '$1 == s && $2 == p && $3 != "FAILED" {print $c}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }

echo
echo "SUMMARY  sources at $(measured_commit), $rounds rounds of $duration, $connections connections, medians over rounds"
printf '%-9s %-6s %10s %19s %11s %11s %12s\n' server path "req/s" "(min-max)" "p99 ms" "CPU us/req" "origin/req"
for s in $servers; do
  for path in $workloads; do
    if [ -z "$(value "$s" "$path" 3)" ]; then printf '%-9s %-6s %10s\n' "$s" "$path" FAILED; continue; fi
    printf '%-9s %-6s %10s %19s %11s %11s %12s\n' "$s" "$path" "$(value "$s" "$path" 3)" \
      "($(value "$s" "$path" 4)-$(value "$s" "$path" 5))" "$(value "$s" "$path" 6)" "$(value "$s" "$path" 7)" \
      "$(value "$s" "$path" 8)"
  done
done
echo
echo "PEAK RSS (VmHWM summed over each server's processes, at the end of the run)"
for s in $servers; do printf '%-9s %8d KiB\n' "$s" "${rss[$s]}"; done

tsv() { [ -n "${OUT:-}" ] && printf '%s\t%s\t%s\t%s\n' "$@" >> "$OUT"; return 0; }
if [ -n "${OUT:-}" ]; then
  printf 'server\tworkload\tmetric\tvalue\n' > "$OUT"
  tsv - - commit "$(measured_commit)"
  tsv - - rounds "$rounds"; tsv - - duration "$duration"; tsv - - connections "$connections"
  for s in $servers; do
    tsv "$s" - peak_rss_kib "${rss[$s]}"
    for path in $workloads; do
      [ -z "$(value "$s" "$path" 3)" ] && { tsv "$s" "$path" failed 1; continue; }
      tsv "$s" "$path" rps_median "$(value "$s" "$path" 3)"
      tsv "$s" "$path" rps_min "$(value "$s" "$path" 4)"
      tsv "$s" "$path" rps_max "$(value "$s" "$path" 5)"
      tsv "$s" "$path" p99_ms_median "$(value "$s" "$path" 6)"
      tsv "$s" "$path" cpu_us_per_req_median "$(value "$s" "$path" 7)"
      tsv "$s" "$path" origin_requests_per_request "$(value "$s" "$path" 8)"
    done
  done
fi

if has telltale && { has nginx || has haproxy; }; then
  echo
  echo "RATIOS  (req/s above 1: Telltale serves more; CPU above 1: Telltale spends more per request)"
  printf '%-6s %18s %20s %22s\n' path "req/s vs nginx" "req/s vs HAProxy" "CPU us/req vs nginx"
  for path in $workloads; do
    vs_nginx=$(ratio "$(value telltale "$path" 3)" "$(value nginx "$path" 3)")
    vs_haproxy=$(ratio "$(value telltale "$path" 3)" "$(value haproxy "$path" 3)")
    cpu_nginx=$(ratio "$(value telltale "$path" 7)" "$(value nginx "$path" 7)")
    printf '%-6s %18s %20s %22s\n' "$path" "$vs_nginx" "$vs_haproxy" "$cpu_nginx"
    tsv telltale/nginx "$path" rps_ratio "$vs_nginx"
    tsv telltale/haproxy "$path" rps_ratio "$vs_haproxy"
    tsv telltale/nginx "$path" cpu_us_per_req_ratio "$cpu_nginx"
  done
fi
[ -n "${OUT:-}" ] && echo && echo "summary written to $OUT"
exit "$failed"
