# Shared by bench/run.sh and bench/idle-connections.sh: the origin and the three servers under test, started
# the same way for both scripts so that their figures describe the same set-ups. Source it, do not run it.
# Everything listens on 127.0.0.1 only; state lives in a directory under /dev/shm that the caller cleans up.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port_base="${PORT_BASE:-18080}"  # another checkout's benchmark may be running: PORT_BASE moves every port at once
origin_port=$((port_base + 1))
nginx_port=$((port_base + 2))
telltale_port=$((port_base + 3))
haproxy_port=$((port_base + 4))
telltale_admin_port=$((port_base + 13))
all_servers="telltale nginx haproxy"
hz=$(getconf CLK_TCK)

# Debian package names, so that a missing tool is reported as the package that brings it.
declare -A package_of=([wrk]=wrk [nginx]=nginx-light [haproxy]=haproxy [curl]=curl [taskset]=util-linux
  [java]=openjdk-17-jre-headless [jcmd]=openjdk-17-jdk-headless [python3]=python3)

measured_commit() {  # the last commit that changed what is built, and whether the work tree differs from it
  local c; c=$(git -C "$root" log -1 --format=%h -- pom.xml gateway-core gateway-server 2>/dev/null) || { echo unknown; return; }
  [ -n "$(git -C "$root" status --porcelain -- pom.xml gateway-core gateway-server)" ] && c="$c+uncommitted changes"
  echo "$c"
}

require_tools() {  # tool...
  local missing=() packages=() tool
  for tool in "$@"; do
    command -v "$tool" > /dev/null 2>&1 || { missing+=("$tool"); packages+=("${package_of[$tool]:-$tool}"); }
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]}" >&2
    echo "install them with: apt-get install -y ${packages[*]}" >&2
    exit 2
  fi
}

require_free_ports() {  # port...
  local port
  for port in "$@"; do
    if ss -Hltn "sport = :$port" | grep -q .; then
      echo "port $port on this machine is already in use (another benchmark?); set PORT_BASE to move all ports" >&2
      exit 2
    fi
  done
}

selected_servers() {  # ONLY=telltale or ONLY=nginx,haproxy narrows the run, e.g. for profiling one server
  local only="${ONLY:-$all_servers}" s
  only="${only//,/ }"
  for s in $only; do
    case " $all_servers " in *" $s "*) ;; *) echo "ONLY: unknown server '$s' (known: $all_servers)" >&2; exit 2 ;; esac
  done
  echo "$only"
}

write_configs() {  # work directory
  local work=$1
  mkdir -p "$work/www" "$work/cache"
  # nginx's workers run as an unprivileged user: they must be able to read the files and write the cache.
  chmod 755 "$work" "$work/www"
  chmod 777 "$work/cache"
  head -c 1024 /dev/zero | tr '\0' 'a' > "$work/www/1k"
  head -c 16384 /dev/zero | tr '\0' 'b' > "$work/www/16k"
  cp "$work/www/1k" "$work/www/pass"

  # keepalive_requests is raised so that no proxy pays for reconnecting to the origin every 1000 requests.
  # stub_status counts the requests that reach the origin: a cache hit that is not one shows there.
  cat > "$work/origin.conf" <<CONF
worker_processes 1; daemon on; pid $work/origin.pid; error_log $work/origin-error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$origin_port; root $work/www;
    location = /pass { add_header Cache-Control "no-store"; }
    location = /origin-status { stub_status; }
    location / { add_header Cache-Control "max-age=3600"; } } }
CONF

  # Every server under test writes an access log, as an edge in production would: nginx buffered, HAProxy a
  # line per request to its standard output, Telltale a batch per event from its own writer thread.
  cat > "$work/nginx.conf" <<CONF
worker_processes 1; daemon on; pid $work/nginx.pid; error_log $work/nginx-error.log;
worker_rlimit_nofile 20000;
events { worker_connections 19000; }
http { access_log $work/nginx-access.log combined buffer=64k; keepalive_requests 1000000;
  open_file_cache max=1000;
  proxy_cache_path $work/cache keys_zone=edge:10m max_size=256m;
  upstream origin { server 127.0.0.1:$origin_port; keepalive 64; keepalive_requests 1000000; }
  server { listen 127.0.0.1:$nginx_port;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_cache edge; proxy_cache_valid 200 1h; } } }
CONF

  # HAProxy's cache keeps objects in shared memory and follows the origin's Cache-Control; max-object-size
  # defaults to 1/256 of total-max-size (256 KiB here), so both cached objects fit.
  cat > "$work/haproxy.cfg" <<CONF
global
  nbthread 1
  # Room for bench/idle-connections.sh's 10000 idle clients. HAProxy reserves two descriptors per connection
  # and, by default, refuses to start when the hard limit (20000 here) is lower; idle clients need only one.
  maxconn 12000
  no strict-limits
defaults
  mode http
  log stdout format raw local0
  option httplog
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
cache edge
  total-max-size 64
  max-age 3600
frontend edge
  bind 127.0.0.1:$haproxy_port
  default_backend origin
backend origin
  http-reuse always
  http-request cache-use edge
  http-response cache-store edge
  server origin 127.0.0.1:$origin_port
CONF

  cat > "$work/telltale.yaml" <<CONF
server: {bindAddress: 127.0.0.1, httpPort: $telltale_port, ioThreads: 1}
admin: {port: $telltale_admin_port}
sites:
  - name: bench
    hosts: [bench.test]
    allowedOriginNetworks: [127.0.0.0/8]
    origins: [{host: 127.0.0.1, httpPort: $origin_port}]
CONF
}

start_origin() {  # work directory; the origin shares CPU 0 with the load generator
  taskset -c 0 nginx -q -c "$1/origin.conf" -p "$1"
  wait_for_http "http://127.0.0.1:$origin_port/origin-status" origin
}

origin_requests() {  # how many requests the origin has served so far
  curl -s "http://127.0.0.1:$origin_port/origin-status" | awk 'NR == 3 {print $3}'
}

# Each server is pinned to CPU 1 and writes its pid to $work/<name>.pid; the caller kills them.
start_server() {  # name work directory
  local name=$1 work=$2
  case $name in
    nginx)
      taskset -c 1 nginx -q -c "$work/nginx.conf" -p "$work"
      wait_for_http "http://127.0.0.1:$nginx_port/1k" nginx ;;
    haproxy)
      # In the foreground (-db) so that its log can go to standard output, appended so it can be truncated.
      taskset -c 1 haproxy -db -f "$work/haproxy.cfg" >> "$work/haproxy-access.log" 2>> "$work/haproxy-error.log" &
      echo $! > "$work/haproxy.pid"
      wait_for_http "http://127.0.0.1:$haproxy_port/1k" haproxy ;;
    telltale)
      # The launcher's JVM defaults are what is measured: JAVA_OPTS would replace them.
      (unset JAVA_OPTS; exec taskset -c 1 "$root/telltale" run --config "$work/telltale.yaml") \
        >> "$work/telltale-access.log" 2> "$work/telltale-error.log" &
      echo $! > "$work/telltale.pid"
      wait_for_http "http://127.0.0.1:$telltale_admin_port/readyz" telltale ;;
  esac
}

wait_for_http() {  # url name
  local _
  for _ in $(seq 150); do
    curl -s -o /dev/null -f -H "Host: bench.test" "$1" && return 0
    sleep 0.2
  done
  echo "$2 did not answer $1 within 30 s; its logs are in $work" >&2
  tail -20 "$work/$2-error.log" >&2 2>/dev/null || true
  exit 1
}

server_port() {
  case $1 in nginx) echo "$nginx_port" ;; haproxy) echo "$haproxy_port" ;; telltale) echo "$telltale_port" ;; esac
}

server_pids() {  # name: the server's first process and its children (nginx: master, worker, cache manager)
  local pid; pid=$(cat "$work/$1.pid")
  echo "$pid" $(pgrep -P "$pid" || true)
}

# CPU ticks of a server: every live process's own time, plus the time of children that have already exited
# (nginx's cache loader), which the kernel adds to the parent's cutime/cstime when it reaps them.
server_ticks() {  # name
  local pids; pids=$(server_pids "$1")
  local first=${pids%% *}
  awk -v first="$first" 'FNR == 1 { t += $14 + $15; if (FILENAME ~ "/" first "/") t += $16 + $17 } END { print t }' \
    $(for p in $pids; do [ -r "/proc/$p/stat" ] && echo "/proc/$p/stat"; done)
}

server_memory_kib() {  # name field (VmHWM or VmRSS): summed over the server's processes
  local p total=0
  for p in $(server_pids "$1"); do
    total=$((total + $(awk -v f="$2:" '$1 == f {print $2}' "/proc/$p/status")))
  done
  echo "$total"
}

stop_server() {  # name work directory: kills what this script started, by pid, and waits for it to be gone
  local f="$2/$1.pid" pid _
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  rm -f "$f"
  kill "$pid" 2>/dev/null || return 0
  # A daemon whose parent does not reap it stays a zombie (state Z): that is gone too.
  for _ in $(seq 150); do
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)" = Z ] && return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

stop_all() {  # work directory
  local f
  for f in "$1"/*.pid; do [ -f "$f" ] && stop_server "$(basename "$f" .pid)" "$1"; done
  return 0
}
