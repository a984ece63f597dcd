#!/usr/bin/env bash
# Every Gatehouse benchmark in one run, on this machine, writing bench/results/results.md and
# bench/results/throughput.svg (plus propagation.md, coldburst.md and the raw outputs).
#
#   bench/run.sh            full run (about 10 minutes)
#   WARMUP=10 REPS=1 DURATION=5 bench/run.sh    a quick smoke run
#
# Figures on a shared 2-core machine drift, so every comparison is a ratio measured in this run, and
# every figure is the median of REPS repetitions. The auth replica under load is pinned to core 0 and
# the load generator to core 1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RESULTS=$ROOT/bench/results
WORK=$ROOT/bench/target
WARMUP=${WARMUP:-60}
REPS=${REPS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
MEMORY_ENTRIES=${MEMORY_ENTRIES:-100000}
export GATEHOUSE_RUN_DIR=$WORK/cluster
export GATEHOUSE_DB=gatehouse_bench
export GATEHOUSE_NAMESPACE=bench
if [[ -z ${JAVA_HOME:-} && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
	export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

log() { printf '==> %s\n' "$*" >&2; }

need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	log "installing $2"
	apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# wrk's --latency output in ms
to_ms() {
	awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v }'
}

# run_wrk NAME URL [HEADER...]: REPS runs; appends "name rps p50 p99" medians to $WORK/wrk.txt
run_wrk() {
	local name=$1 url=$2
	shift 2
	local headers=() header
	for header in "$@"; do headers+=(-H "$header"); done
	local rps=() p50=() p99=() rep out
	for ((rep = 1; rep <= REPS; rep++)); do
		out=$(taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${headers[@]}" "$url")
		printf '%s\n' "$out" >"$WORK/wrk-$name-$rep.txt"
		rps+=("$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")")
		p50+=("$(awk '$1 == "50%" { print $2 }' <<<"$out" | to_ms)")
		p99+=("$(awk '$1 == "99%" { print $2 }' <<<"$out" | to_ms)")
		if grep -q 'Non-2xx' <<<"$out"; then
			log "$name: non-2xx answers: $(grep 'Non-2xx' <<<"$out")"
		fi
	done
	printf '%s %s %s %s\n' "$name" "$(printf '%s\n' "${rps[@]}" | median)" "$(printf '%s\n' "${p50[@]}" | median)" \
		"$(printf '%s\n' "${p99[@]}" | median)" >>"$WORK/wrk.txt"
}

cleanup() {
	if [[ -n ${NGINX_PID:-} ]]; then
		kill "$NGINX_PID" 2>/dev/null || true
	fi
	"$ROOT/infra/local/cluster.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

mkdir -p "$RESULTS" "$WORK"
rm -f "$WORK/wrk.txt"
need wrk wrk
need hey hey
need nginx nginx

log "building"
(cd "$ROOT" && mvn -B -q -DskipTests package dependency:build-classpath -pl bench -am \
	-Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
BENCH_CP=$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")

log "JMH: the in-process decision"
"$JAVA" -cp "$BENCH_CP" org.openjdk.jmh.Main DecisionBenchmark -prof gc -rf json -rff "$WORK/jmh.json" >"$WORK/jmh.txt"

log "starting the cluster (3 replicas and the proxy)"
"$ROOT/infra/local/cluster.sh" down >/dev/null 2>&1 || true
eval "$("$ROOT/infra/local/services.sh")"
export PGUSER=$GATEHOUSE_PG_USER PGPASSWORD=$GATEHOUSE_PG_PASSWORD
psql -h 127.0.0.1 -d postgres -qc "drop database if exists $GATEHOUSE_DB with (force)" >/dev/null
"$ROOT/infra/local/cluster.sh" up 3 >"$WORK/cluster-up.txt"
# shellcheck disable=SC1091
source "$GATEHOUSE_RUN_DIR/cluster.env"
read -r -a REPLICAS <<<"$AUTH_URLS"
AUTH=${REPLICAS[0]}
AUTH_PID=$(cat "$GATEHOUSE_RUN_DIR/pids/auth-1.pid")
CODE=$(curl -s -X POST -H "Authorization: Bearer $ADMIN_TOKEN" "$ADMIN_URL/api/pairing-codes" | sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' -d "{\"code\":\"$CODE\",\"name\":\"bench\"}" \
	"$ADMIN_URL/api/terminals/pair" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
PUBLIC=("X-Forwarded-Host: demo.localhost" "X-Forwarded-Uri: /assets/app.js?v=3")
PRIVATE=("X-Forwarded-Host: demo.localhost" "X-Forwarded-Uri: /private/notes" "Cookie: authorization=Bearer%20$TOKEN")

log "nginx 'return 200' (machine ceiling), pinned like the replica"
NGINX_DIR=$WORK/nginx-ceiling
mkdir -p "$NGINX_DIR"
NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$NGINX_DIR/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $NGINX_DIR/tmp;
  proxy_temp_path $NGINX_DIR/tmp;
  fastcgi_temp_path $NGINX_DIR/tmp;
  uwsgi_temp_path $NGINX_DIR/tmp;
  scgi_temp_path $NGINX_DIR/tmp;
  server { listen 127.0.0.1:$NGINX_PORT; location / { return 200; } }
}
EOF
mkdir -p "$NGINX_DIR/tmp"
taskset -c 0 nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" &
NGINX_PID=$!
sleep 1

log "JIT warm-up: ${WARMUP}s"
taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -H "${PUBLIC[0]}" -H "${PUBLIC[1]}" "$AUTH/internal/auth" >/dev/null
taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$((WARMUP / 4 + 1))s" "${PRIVATE[@]/#/-H}" "$AUTH/internal/auth" >/dev/null 2>&1 || true

# pinned after the warm-up: `taskset -a` moves only the threads that exist, and the warm-up made Tomcat
# start all the workers this load needs
taskset -apc 0 "$AUTH_PID" >/dev/null
log "hot path: $REPS x ${DURATION}s each"
run_wrk auth-public "$AUTH/internal/auth" "${PUBLIC[@]}"
run_wrk auth-private "$AUTH/internal/auth" "${PRIVATE[@]}"
run_wrk trivial "$AUTH/internal/ping"
run_wrk nginx "http://127.0.0.1:$NGINX_PORT/"
taskset -apc 0-1 "$AUTH_PID" >/dev/null
run_wrk proxy-3-replicas "$PROXY_URL/" "Host: demo.$APP_ZONE"

log "fixed arrival rate at 50% of the measured maximum"
MAX_RPS=$(awk '$1 == "auth-public" { print $2 }' "$WORK/wrk.txt")
WORKERS=8
PER_WORKER=$(awk -v r="$MAX_RPS" -v w="$WORKERS" 'BEGIN { printf "%d", r / 2 / w }')
taskset -apc 0 "$AUTH_PID" >/dev/null
FIXED_P99=()
for ((rep = 1; rep <= REPS; rep++)); do
	taskset -c 1 hey -z "${DURATION}s" -c "$WORKERS" -q "$PER_WORKER" -H "${PUBLIC[0]}" -H "${PUBLIC[1]}" \
		"$AUTH/internal/auth" >"$WORK/hey-$rep.txt"
	FIXED_P99+=("$(awk '/99% in/ { print $3 * 1000 }' "$WORK/hey-$rep.txt")")
done
FIXED_P99_MEDIAN=$(printf '%s\n' "${FIXED_P99[@]}" | median)
taskset -apc 0-1 "$AUTH_PID" >/dev/null

log "memory: ${MEMORY_ENTRIES} apps and ${MEMORY_ENTRIES} terminals in one replica's L1"
psql -h 127.0.0.1 -d "$GATEHOUSE_DB" -q <<EOF
insert into app (name, status, paths, always_on, idle_for_stop_seconds)
select 'm' || g, 'running', '{"/": {"access": "public", "headers": {"X-Ptl-Foo": "{{ auth.client_name }}"}}}', false, 600
from generate_series(1, $MEMORY_ENTRIES) g;
insert into terminal (id, name) select 't' || g, 'terminal ' || g from generate_series(1, $MEMORY_ENTRIES) g;
EOF
MEMORY_URL=${REPLICAS[1]}
MEMORY_PID=$(cat "$GATEHOUSE_RUN_DIR/pids/auth-2.pid")
RSS_BEFORE=$(awk '/VmRSS/ { print $2 }' "/proc/$MEMORY_PID/status")
SECRET=$(psql -h 127.0.0.1 -d "$GATEHOUSE_DB" -Atc "select encode(private_key, 'hex') from token_key")
FILL_START=$(date +%s)
"$JAVA" -cp "$BENCH_CP" dev.gatehouse.bench.CacheFiller "$MEMORY_URL" "$MEMORY_ENTRIES" "$MEMORY_ENTRIES" "$SECRET" \
	>"$WORK/fill.txt"
FILL_SECONDS=$(($(date +%s) - FILL_START))
sleep 2
RSS_AFTER=$(awk '/VmRSS/ { print $2 }' "/proc/$MEMORY_PID/status")
APP_ENTRIES=$(curl -s "$MEMORY_URL/actuator/prometheus" | awk '/^cache_size\{cache="gatehouse.app"/ { print $2 }')
TERMINAL_ENTRIES=$(curl -s "$MEMORY_URL/actuator/prometheus" | awk '/^cache_size\{cache="gatehouse.terminal"/ { print $2 }')

"$ROOT/infra/local/cluster.sh" down >/dev/null
psql -h 127.0.0.1 -d postgres -qc "drop database if exists $GATEHOUSE_DB with (force)" >/dev/null

log "cold bursts and propagation (in-process clusters)"
(cd "$ROOT" && mvn -B -q -o test -pl system-tests -am -Dtest='ColdBurstBenchmark,PropagationBenchmark' \
	-Dsurefire.failIfNoSpecifiedTests=false -Dgatehouse.bench.results="$RESULTS" >"$WORK/system-benchmarks.txt" 2>&1)

log "writing results"
python3 "$ROOT/bench/report.py" "$WORK" "$RESULTS" "$FIXED_P99_MEDIAN" "$PER_WORKER" "$WORKERS" "$RSS_BEFORE" "$RSS_AFTER" \
	"$APP_ENTRIES" "$TERMINAL_ENTRIES" "$FILL_SECONDS" "$REPS" "$DURATION" "$WARMUP" "$CONNECTIONS"
log "done: $RESULTS/results.md"
