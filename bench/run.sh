#!/usr/bin/env bash
# Every Gatehouse benchmark in one run, on this machine: results.md (one table of each figure against its
# target, then the details) and throughput.svg, beside propagation.md, coldburst.md and the raw outputs.
#
#   bench/run.sh            full run (about 15 minutes), written to bench/results/
#   WARMUP=10 REPS=1 DURATION=5 bench/run.sh    a quick smoke run, written to bench/target/results/
#
# Any setting other than the defaults below writes to bench/target/results/, so a quick run never
# replaces the checked-in figures (RESULTS=dir chooses). Figures on a shared 2-core machine drift, so
# every comparison is a ratio measured in this run and every figure the median of REPS repetitions
# (STARTS launches for the start-up). Wherever load is measured, the servers run on core 0 and the load
# generator on core 1; the report says what ran where.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/bench/target
CONFIG=$ROOT/bench/config
WARMUP=${WARMUP:-60}
REPS=${REPS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
MEMORY_ENTRIES=${MEMORY_ENTRIES:-100000}
STARTS=${STARTS:-5}
if [[ -z ${RESULTS:-} ]]; then
	RESULTS=$ROOT/bench/results
	[[ "$WARMUP $REPS $DURATION $CONNECTIONS $MEMORY_ENTRIES $STARTS" == "60 3 10 32 100000 5" ]] || RESULTS=$WORK/results
fi
export GATEHOUSE_RUN_DIR=$WORK/cluster
export GATEHOUSE_DB=gatehouse_bench
export GATEHOUSE_NAMESPACE=bench
if [[ -z ${JAVA_HOME:-} && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
	export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PIDS=$GATEHOUSE_RUN_DIR/pids
BENCH_ROUTES=$GATEHOUSE_RUN_DIR/traefik/dynamic/bench-routes.yml

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	log "installing $2"
	apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
}

# The open-model load generator (bench/loadgen, Go, standard library only), built once per change of
# its sources and cached beside the Traefik build.
loadgen_bin() {
	local src=$ROOT/bench/loadgen sum dir
	sum=$(cd "$src" && find . -maxdepth 1 \( -name go.mod -o -name '*.go' ! -name '*_test.go' \) -print0 | sort -z |
		xargs -0 cat | sha256sum | cut -c1-16)
	dir=${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse/loadgen-$sum
	if [[ ! -x $dir/loadgen ]]; then
		if [[ -x /usr/local/go/bin/go ]]; then PATH=$PATH:/usr/local/go/bin; fi
		command -v go >/dev/null 2>&1 || die "bench/loadgen is built with Go: install Go"
		log "building bench/loadgen into $dir (once per change)"
		mkdir -p "$dir"
		(cd "$src" && go build -trimpath -buildvcs=false -o "$dir/loadgen.new" .) >&2
		mv -f "$dir/loadgen.new" "$dir/loadgen"
	fi
	printf '%s' "$dir/loadgen"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# record KEY VALUE...: one line of $WORK/figures.txt, which report.py reads
record() { printf '%s %s\n' "$1" "${*:2}" >>"$WORK/figures.txt"; }

# fill TEMPLATE NAME=VALUE...: the template with every @NAME@ replaced
fill() {
	local text assignment
	text=$(<"$1") && shift
	for assignment in "$@"; do text=${text//"@${assignment%%=*}@"/"${assignment#*=}"}; done
	printf '%s\n' "$text"
}

# the local superuser of infra/local/services.sh, passed to psql alone (services.sh runs its own psql as
# the postgres user, which an exported PGUSER would override)
db() { PGPASSWORD=$GATEHOUSE_PG_PASSWORD psql -X -q -h 127.0.0.1 -U "$GATEHOUSE_PG_USER" "$@"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# pin CORES NAME...: every thread of these cluster processes (threads started later inherit the mask)
pin() {
	local cores=$1 name
	shift
	for name in "$@"; do taskset -apc "$cores" "$(cat "$PIDS/$name.pid")" >/dev/null; done
}

# wrk's --latency output in ms
to_ms() {
	awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v }'
}

# warm SECONDS URL [HEADER...]: load without measuring (JIT compilation, connection pools)
warm() {
	local seconds=$1 url=$2 headers=() header
	shift 2
	for header in "$@"; do headers+=(-H "$header"); done
	taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" "${headers[@]}" "$url" >/dev/null
}

# run_wrk NAME URL [HEADER...]: REPS closed-loop runs from core 1; appends "name rps p50 p99" medians to
# $WORK/wrk.txt
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
		if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
			log "$name: $(grep 'Non-2xx\|Socket errors' <<<"$out" | paste -sd ';')"
		fi
	done
	printf '%s %s %s %s\n' "$name" "$(printf '%s\n' "${rps[@]}" | median)" "$(printf '%s\n' "${p50[@]}" | median)" \
		"$(printf '%s\n' "${p99[@]}" | median)" >>"$WORK/wrk.txt"
}

cleanup() {
	rm -f "$BENCH_ROUTES"
	if [[ -n ${NGINX_PID:-} ]]; then
		kill "$NGINX_PID" 2>/dev/null || true
	fi
	"$ROOT/infra/local/cluster.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

mkdir -p "$RESULTS" "$WORK"
rm -f "$WORK"/wrk*.txt "$WORK"/loadgen-*.json "$WORK"/startup*.txt "$WORK/figures.txt" "$BENCH_ROUTES"
need wrk wrk
need nginx nginx
LOADGEN=$(loadgen_bin)
record settings "$REPS" "$DURATION" "$WARMUP" "$CONNECTIONS" "$STARTS"

log "building"
(cd "$ROOT" && mvn -B -q -o -DskipTests package dependency:build-classpath -pl bench,admin-service -am \
	-Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
BENCH_CP=$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")

log "JMH: the in-process decision"
"$JAVA" -cp "$BENCH_CP" org.openjdk.jmh.Main dev.gatehouse.bench.DecisionBenchmark -prof gc -rf json -rff "$WORK/jmh.json" >"$WORK/jmh.txt"

log "starting the cluster (3 replicas and Traefik)"
"$ROOT/infra/local/cluster.sh" down >/dev/null 2>&1 || true
eval "$("$ROOT/infra/local/services.sh")"
db -d postgres -c "drop database if exists $GATEHOUSE_DB with (force)" >/dev/null
"$ROOT/infra/local/cluster.sh" up 3 >"$WORK/cluster-up.txt"
# shellcheck disable=SC1091
source "$GATEHOUSE_RUN_DIR/cluster.env"
read -r -a REPLICAS <<<"$AUTH_URLS"
AUTH=${REPLICAS[0]}
CODE=$(curl -s -X POST -H "Authorization: Bearer $ADMIN_TOKEN" "$ADMIN_URL/api/pairing-codes" | sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' -d "{\"code\":\"$CODE\",\"name\":\"bench\"}" \
	"$ADMIN_URL/api/terminals/pair" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
PUBLIC=("X-Forwarded-Host: demo.localhost" "X-Forwarded-Uri: /assets/app.js?v=3")
PRIVATE=("X-Forwarded-Host: demo.localhost" "X-Forwarded-Uri: /private/notes" "Cookie: authorization=Bearer%20$TOKEN")

log "nginx 'return 200' on core 0: the ceiling, and the ideal auth server behind Traefik"
NGINX_DIR=$WORK/nginx
NGINX_PORT=$(free_port)
mkdir -p "$NGINX_DIR/tmp"
fill "$CONFIG/nginx.conf" "DIR=$NGINX_DIR" "PORT=$NGINX_PORT" >"$NGINX_DIR/nginx.conf"
taskset -c 0 nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" &
NGINX_PID=$!
for ((i = 0; i < 50; i++)); do
	[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGINX_PORT/") != 200 ]] || break
	sleep 0.1
done

log "JIT warm-up: ${WARMUP}s, all replicas at once (the proxy figures use all three)"
warmers=()
for url in "${REPLICAS[@]}"; do
	{ warm "$WARMUP" "$url/internal/auth" "${PUBLIC[@]}" && warm $((WARMUP / 4 + 1)) "$url/internal/auth" "${PRIVATE[@]}"; } &
	warmers+=($!)
done
wait "${warmers[@]}"

# pinned after the warm-up, so the JIT compiled on both cores
pin 0 auth-1
log "hot path on one core: $REPS x ${DURATION}s each"
run_wrk auth-public "$AUTH/internal/auth" "${PUBLIC[@]}"
run_wrk auth-private "$AUTH/internal/auth" "${PRIVATE[@]}"
run_wrk trivial "$AUTH/internal/ping"
run_wrk nginx "http://127.0.0.1:$NGINX_PORT/"

# Open model: requests are due at a fixed rate whether or not earlier ones were answered, on 64
# kept-alive connections with one request in flight each (well under the replica's connection cap,
# gatehouse.auth.http.max-connections, 1,024). loadgen times each request from its due time, so a stall
# of the generator or the replica is charged to every request due meanwhile (coordinated omission), and
# says when it sent more than 1 % below the rate: then the figure measures the generator (its ceiling on
# one core is about 160,000 req/s against nginx, docs/benchmarks.md).
RATE=$(awk '$1 == "auth-public" { printf "%d", $2 / 2 }' "$WORK/wrk.txt")
((RATE > 0)) || die "no public-path maximum to take half of (see $WORK/wrk-auth-public-*.txt)"
log "tail latency: open model at $RATE req/s (half the public maximum), $REPS x ${DURATION}s, then nginx at that rate"
for ((rep = 1; rep <= REPS; rep++)); do
	taskset -c 1 "$LOADGEN" -url "$AUTH/internal/auth" -rate "$RATE" -duration "${DURATION}s" -connections 64 \
		-timeout 10s -header "${PUBLIC[0]}" -header "${PUBLIC[1]}" -output "$WORK/loadgen-$rep.json"
done
# the same schedule against nginx on the same core: the floor this machine and generator put under the figure
for ((rep = 1; rep <= REPS; rep++)); do
	taskset -c 1 "$LOADGEN" -url "http://127.0.0.1:$NGINX_PORT/" -rate "$RATE" -duration "${DURATION}s" -connections 64 \
		-timeout 10s -header "${PUBLIC[0]}" -header "${PUBLIC[1]}" -output "$WORK/loadgen-nginx-$rep.json"
done
record tail_rate "$RATE"
pin 0-1 auth-1

log "through Traefik: forwardAuth to Gatehouse, no forwardAuth, forwardAuth to nginx"
fill "$CONFIG/traefik-routes.yml" "NGINX_PORT=$NGINX_PORT" >"$BENCH_ROUTES.new"
mv -f "$BENCH_ROUTES.new" "$BENCH_ROUTES"
for ((i = 0; i < 100; i++)); do
	[[ $(curl -s -o /dev/null -w '%{http_code}' -H 'Host: no-auth.bench' "$PROXY_URL/") != 200 ||
		$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: nginx-auth.bench' "$PROXY_URL/") != 200 ]] || break
	((i < 99)) || die "Traefik did not serve $BENCH_ROUTES within 10s"
	sleep 0.1
done
# Traefik's connection pools
warm $((WARMUP / 10 + 1)) "$PROXY_URL/" "Host: demo.$APP_ZONE"
warm $((WARMUP / 10 + 1)) "$PROXY_URL/" "Host: no-auth.bench"
warm $((WARMUP / 10 + 1)) "$PROXY_URL/" "Host: nginx-auth.bench"
pin 0 traefik demo-app auth-1 auth-2 auth-3
run_wrk proxy-gatehouse "$PROXY_URL/" "Host: demo.$APP_ZONE"
run_wrk proxy-no-auth "$PROXY_URL/" "Host: no-auth.bench"
run_wrk proxy-nginx-auth "$PROXY_URL/" "Host: nginx-auth.bench"
pin 0-1 traefik demo-app auth-1 auth-2 auth-3
rm -f "$BENCH_ROUTES"

log "start-up: $STARTS launches of a fourth replica, as cluster.sh launches it"
for ((start = 1; start <= STARTS; start++)); do
	python3 "$ROOT/bench/time_to_ready.py" "$PIDS/auth-4.pid" "$PIDS/auth-4.port" >>"$WORK/startup.txt" &
	timer=$!
	"$ROOT/infra/local/cluster.sh" scale 4 >>"$WORK/startup-cluster.txt" 2>&1
	wait "$timer"
	"$ROOT/infra/local/cluster.sh" scale 3 >>"$WORK/startup-cluster.txt" 2>&1
done

log "memory: ${MEMORY_ENTRIES} apps and ${MEMORY_ENTRIES} terminals in one replica's L1"
db -d "$GATEHOUSE_DB" <<EOF
insert into app (name, status, paths, always_on, idle_for_stop_seconds)
select 'm' || g, 'running', '{"/": {"access": "public", "headers": {"X-Ptl-Foo": "{{ auth.client_name }}"}}}', false, 600
from generate_series(1, $MEMORY_ENTRIES) g;
insert into terminal (id, name) select 't' || g, 'terminal ' || g from generate_series(1, $MEMORY_ENTRIES) g;
EOF
MEMORY_URL=${REPLICAS[1]}
MEMORY_PID=$(cat "$PIDS/auth-2.pid")
record jvm_flags "$(tr '\0' '\n' <"/proc/$MEMORY_PID/cmdline" | grep '^-X' | paste -sd ' ')"
record rss_before_kb "$(awk '/VmRSS/ { print $2 }' "/proc/$MEMORY_PID/status")"
SECRET=$(db -d "$GATEHOUSE_DB" -Atc "select encode(private_key, 'hex') from token_key")
FILL_START=$SECONDS
"$JAVA" -cp "$BENCH_CP" dev.gatehouse.bench.CacheFiller "$MEMORY_URL" "$MEMORY_ENTRIES" "$MEMORY_ENTRIES" "$SECRET" \
	>"$WORK/fill.txt"
record fill_seconds $((SECONDS - FILL_START))
sleep 2
record rss_after_kb "$(awk '/VmRSS/ { print $2 }' "/proc/$MEMORY_PID/status")"
record memory_entries "$MEMORY_ENTRIES"
METRICS=$(curl -s "$MEMORY_URL/actuator/prometheus")
record app_entries "$(awk '/^cache_size\{cache="gatehouse.app"/ { print $2 }' <<<"$METRICS")"
record terminal_entries "$(awk '/^cache_size\{cache="gatehouse.terminal"/ { print $2 }' <<<"$METRICS")"

"$ROOT/infra/local/cluster.sh" down >/dev/null
db -d postgres -c "drop database if exists $GATEHOUSE_DB with (force)" >/dev/null

log "cold bursts and propagation (in-process clusters)"
(cd "$ROOT" && export GATEHOUSE_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/postgres \
	GATEHOUSE_TEST_POSTGRES_USER="$GATEHOUSE_PG_USER" GATEHOUSE_TEST_POSTGRES_PASSWORD="$GATEHOUSE_PG_PASSWORD" \
	GATEHOUSE_TEST_REDIS_URL=redis://127.0.0.1:6379 && mvn -B -q -o test -pl system-tests -am -Dtest='ColdBurstBenchmark,PropagationBenchmark' \
	-Dsurefire.failIfNoSpecifiedTests=false -Dgatehouse.bench.results="$RESULTS" >"$WORK/system-benchmarks.txt" 2>&1)

log "writing results"
python3 "$ROOT/bench/report.py" "$WORK" "$RESULTS"
log "done: $RESULTS/results.md"
