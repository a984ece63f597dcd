#!/usr/bin/env bash
# A local Gatehouse cluster without containers: one admin-service and N auth-service replicas
# running as plain JVM processes on loopback ports, against the local PostgreSQL and Redis.
#
#   infra/local/cluster.sh up [N]     start admin + N auth replicas (default 2), seed demo data
#   infra/local/cluster.sh status     show every process: pid, port, alive/dead, readiness
#   infra/local/cluster.sh scale N    start or stop auth replicas so exactly N run
#   infra/local/cluster.sh logs [name]  follow the logs (admin, auth-1, ...; all when no name;
#                                       LINES_TO_SHOW=N sets how much history, default 50)
#   infra/local/cluster.sh down       stop everything
#
# State (pids, ports, logs, secrets, cluster.env) lives in infra/local/run/ (git-ignored).
#
# Environment overrides: GATEHOUSE_DB (database name, default gatehouse), GATEHOUSE_NAMESPACE
# (Redis key prefix, default gatehouse-local), GATEHOUSE_DB_USER / GATEHOUSE_DB_PASSWORD,
# GATEHOUSE_PG_HOST / GATEHOUSE_PG_PORT, GATEHOUSE_REDIS_HOST / GATEHOUSE_REDIS_PORT,
# GATEHOUSE_JAVA_OPTS (JVM flags of every process), GATEHOUSE_READY_TIMEOUT (seconds, default 90).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
RUN_DIR=$SCRIPT_DIR/run
LOG_DIR=$RUN_DIR/logs
PID_DIR=$RUN_DIR/pids
SECRETS_FILE=$RUN_DIR/secrets.env
CLUSTER_ENV=$RUN_DIR/cluster.env

DB_NAME=${GATEHOUSE_DB:-gatehouse}
NAMESPACE=${GATEHOUSE_NAMESPACE:-gatehouse-local}
DB_USER=${GATEHOUSE_DB_USER:-postgres}
DB_PASSWORD=${GATEHOUSE_DB_PASSWORD:-}
PG_HOST=${GATEHOUSE_PG_HOST:-127.0.0.1}
PG_PORT=${GATEHOUSE_PG_PORT:-5432}
REDIS_HOST=${GATEHOUSE_REDIS_HOST:-127.0.0.1}
REDIS_PORT=${GATEHOUSE_REDIS_PORT:-6379}
READY_TIMEOUT=${GATEHOUSE_READY_TIMEOUT:-90}
JAVA_OPTS=${GATEHOUSE_JAVA_OPTS:--Xms32m -Xmx256m -XX:+UseSerialGC}
TEMURIN_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
DEMO_HOST=demo.localhost
MAX_REPLICAS=20

# --- small helpers ------------------------------------------------------------------------------

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Path relative to the repo root, for friendlier messages.
rel() { printf '%s' "${1#"$REPO_ROOT"/}"; }

java_bin() {
	if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
		printf '%s' "$JAVA_HOME/bin/java"
	elif [[ -x $TEMURIN_HOME/bin/java ]]; then
		printf '%s' "$TEMURIN_HOME/bin/java"
	elif have java; then
		printf 'java'
	else
		die "no java found: set JAVA_HOME or install a JDK 21+"
	fi
}

# The prebuilt fat jar of a module (admin-service or auth-service), or nothing.
find_jar() {
	local jars
	shopt -s nullglob
	jars=("$REPO_ROOT/$1/target/$1"-*-exec.jar)
	shopt -u nullglob
	if ((${#jars[@]} > 0)); then
		printf '%s' "${jars[0]}"
	fi
}

validate_settings() {
	[[ $DB_NAME =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "GATEHOUSE_DB '$DB_NAME' must be letters, digits and _"
	[[ $NAMESPACE =~ ^[A-Za-z0-9._-]+$ ]] || die "GATEHOUSE_NAMESPACE '$NAMESPACE' must be letters, digits . _ -"
	[[ $READY_TIMEOUT =~ ^[0-9]+$ ]] || die "GATEHOUSE_READY_TIMEOUT must be a number of seconds"
}

# True when something accepts TCP connections on host:port.
tcp_open() {
	(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

is_loopback() {
	[[ $1 == 127.0.0.1 || $1 == localhost || $1 == ::1 ]]
}

# --- PostgreSQL and Redis -----------------------------------------------------------------------

pg_ready() {
	if have pg_isready; then
		pg_isready -q -h "$PG_HOST" -p "$PG_PORT"
	else
		tcp_open "$PG_HOST" "$PG_PORT"
	fi
}

redis_ready() {
	if have redis-cli; then
		[[ $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
	else
		tcp_open "$REDIS_HOST" "$REDIS_PORT"
	fi
}

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND once a second.
wait_for() {
	local what=$1 seconds=$2
	shift 2
	local i
	for ((i = 0; i < seconds; i++)); do
		if "$@"; then
			return 0
		fi
		sleep 1
	done
	die "$what did not become ready within ${seconds}s"
}

start_postgres() {
	local versions
	have pg_ctlcluster && [[ -d /etc/postgresql ]] || return 1
	versions=$(ls /etc/postgresql)
	[[ -n $versions ]] || return 1
	log "starting PostgreSQL $versions"
	# shellcheck disable=SC2086  # one version directory expected, as in the documented command
	pg_ctlcluster --skip-systemctl-redirect $versions main start
}

start_redis() {
	have redis-server || return 1
	log "starting Redis"
	mkdir -p /var/lib/redis /var/log/redis
	redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
		--dir /var/lib/redis --logfile /var/log/redis/ci.log
}

ensure_postgres() {
	pg_ready && return 0
	if is_loopback "$PG_HOST" && start_postgres; then
		wait_for "PostgreSQL at $PG_HOST:$PG_PORT" 20 pg_ready
	else
		die "PostgreSQL is not reachable at $PG_HOST:$PG_PORT and cannot be started here (no pg_ctlcluster)"
	fi
}

ensure_redis() {
	redis_ready && return 0
	if is_loopback "$REDIS_HOST" && start_redis; then
		wait_for "Redis at $REDIS_HOST:$REDIS_PORT" 20 redis_ready
	else
		die "Redis is not reachable at $REDIS_HOST:$REDIS_PORT and cannot be started here (no redis-server)"
	fi
}

psql_cmd() {
	PGPASSWORD=$DB_PASSWORD psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$DB_USER" "$@"
}

ensure_database() {
	have psql || die "psql is needed to create the database '$DB_NAME'"
	if [[ $(psql_cmd -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'") != 1 ]]; then
		log "creating database $DB_NAME"
		psql_cmd -d postgres -c "CREATE DATABASE \"$DB_NAME\""
	fi
}

# --- jars and secrets ---------------------------------------------------------------------------

ensure_jars() {
	if [[ -n $(find_jar admin-service) && -n $(find_jar auth-service) ]]; then
		return 0
	fi
	have mvn || die "the service jars are missing and mvn is not installed to build them"
	log "building jars (mvn -B -q -DskipTests package)"
	if [[ -x $TEMURIN_HOME/bin/java ]]; then
		(cd "$REPO_ROOT" && JAVA_HOME=$TEMURIN_HOME mvn -B -q -DskipTests package)
	else
		(cd "$REPO_ROOT" && mvn -B -q -DskipTests package)
	fi
	[[ -n $(find_jar admin-service) && -n $(find_jar auth-service) ]] || die "the build made no *-exec.jar"
}

random_secret() {
	if have openssl; then
		openssl rand -hex 24
	else
		od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
	fi
}

# Creates the secrets once; every later run reuses them (a running admin keeps its token).
ensure_secrets() {
	if [[ ! -s $SECRETS_FILE ]]; then
		log "generating secrets in $(rel "$SECRETS_FILE")"
		(
			umask 077
			printf 'ADMIN_TOKEN=%s\nMANAGEMENT_SECRET=%s\n' "$(random_secret)" "$(random_secret)" >"$SECRETS_FILE"
		)
	fi
	chmod 600 "$SECRETS_FILE"
	load_secrets
}

load_secrets() {
	ADMIN_TOKEN=$(sed -n 's/^ADMIN_TOKEN=//p' "$SECRETS_FILE")
	MANAGEMENT_SECRET=$(sed -n 's/^MANAGEMENT_SECRET=//p' "$SECRETS_FILE")
	[[ ${#ADMIN_TOKEN} -ge 16 && -n $MANAGEMENT_SECRET ]] || die "$(rel "$SECRETS_FILE") is incomplete: delete it and run up again"
}

# --- processes ----------------------------------------------------------------------------------

pid_file() { printf '%s/%s.pid' "$PID_DIR" "$1"; }
port_file() { printf '%s/%s.port' "$PID_DIR" "$1"; }
log_file() { printf '%s/%s.log' "$LOG_DIR" "$1"; }

read_pid() { [[ -f $(pid_file "$1") ]] && cat "$(pid_file "$1")"; }
read_port() { [[ -f $(port_file "$1") ]] && cat "$(port_file "$1")"; }

# Alive means: the recorded pid runs and is the JVM this script started under that name
# (the marker system property guards against a recycled pid).
is_alive() {
	local pid
	pid=$(read_pid "$1") || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	ps -o args= -p "$pid" 2>/dev/null | grep -q -- "-Dgatehouse.local.process=$1 "
}

# HTTP status of the readiness endpoint on a port, or 000 when nothing answers.
readiness_code() {
	curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/actuator/health/readiness" || true
}

# Names of all processes that have a pid file: admin first, then auth-1, auth-2, ... in order.
known_processes() {
	local file name
	[[ -f $(pid_file admin) ]] && echo admin
	shopt -s nullglob
	for file in "$PID_DIR"/auth-*.pid; do
		name=${file##*/}
		echo "${name%.pid}"
	done | sort -t- -k2,2n
	shopt -u nullglob
}

running_replicas() {
	local name
	for name in $(known_processes); do
		[[ $name == auth-* ]] && is_alive "$name" && echo "$name"
	done
	return 0
}

# Ports handed out in this run but maybe not listening yet.
RESERVED_PORTS=" "

port_taken() {
	[[ $RESERVED_PORTS == *" $1 "* ]] && return 0
	if have ss; then
		[[ -n $(ss -Htln "sport = :$1" 2>/dev/null) ]]
	else
		tcp_open 127.0.0.1 "$1"
	fi
}

pick_free_port() {
	local port attempt
	for ((attempt = 0; attempt < 200; attempt++)); do
		if have python3; then
			port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
		else
			port=$((20000 + RANDOM % 20000))
		fi
		if ! port_taken "$port"; then
			RESERVED_PORTS+="$port "
			printf '%s' "$port"
			return 0
		fi
	done
	die "found no free TCP port"
}

# start_process NAME MODULE ENV...: launches the module's jar in the background with nohup.
start_process() {
	local name=$1 module=$2 jar port java assignment url
	shift 2
	url=$(database_url)
	jar=$(find_jar "$module")
	java=$(java_bin)
	port=$(pick_free_port)
	local -a opts
	read -r -a opts <<<"$JAVA_OPTS"
	log "starting $name on port $port"
	: >"$(log_file "$name")"
	# Secrets go through the environment of a subshell, never onto a command line; exec makes $! the JVM.
	(
		export SERVER_PORT="$port" \
			SPRING_DATASOURCE_URL="$url" \
			SPRING_DATASOURCE_USERNAME="$DB_USER" \
			SPRING_DATASOURCE_PASSWORD="$DB_PASSWORD" \
			SPRING_DATA_REDIS_HOST="$REDIS_HOST" \
			SPRING_DATA_REDIS_PORT="$REDIS_PORT" \
			GATEHOUSE_NAMESPACE="$NAMESPACE"
		for assignment in "$@"; do
			export "${assignment?}"
		done
		exec nohup "$java" "-Dgatehouse.local.process=$name" "${opts[@]}" -jar "$jar" \
			>>"$(log_file "$name")" 2>&1 </dev/null
	) &
	echo $! >"$(pid_file "$name")"
	echo "$port" >"$(port_file "$name")"
}

start_admin() {
	local extra=()
	if [[ -n ${GATEHOUSE_ADMIN_PORTAL_ZONE:-} ]]; then
		extra+=("GATEHOUSE_ADMIN_PORTAL_ZONE=$GATEHOUSE_ADMIN_PORTAL_ZONE")
	fi
	start_process admin admin-service "GATEHOUSE_ADMIN_TOKEN=$ADMIN_TOKEN" "${extra[@]}"
}

start_replica() {
	start_process "$1" auth-service GATEHOUSE_MANAGEMENT_SECRET="$MANAGEMENT_SECRET" \
		GATEHOUSE_AUTH_REPLICA_ID="$1"
}

# Starts whichever of auth-1..auth-N is not running, then waits until all N are ready.
start_replicas() {
	local count=$1 i name all=()
	for ((i = 1; i <= count; i++)); do
		name=auth-$i
		all+=("$name")
		if ! is_alive "$name"; then
			stop_process "$name" # clears stale files
			start_replica "$name"
		fi
	done
	((count == 0)) || wait_ready "${all[@]}"
}

# Waits until every named process answers 200 on readiness; fails fast if one dies.
wait_ready() {
	local deadline=$((SECONDS + READY_TIMEOUT)) name pending
	log "waiting for readiness of: $*"
	while :; do
		pending=()
		for name in "$@"; do
			if ! is_alive "$name"; then
				fail_process "$name" "exited during startup"
			fi
			[[ $(readiness_code "$(read_port "$name")") == 200 ]] || pending+=("$name")
		done
		((${#pending[@]} == 0)) && return 0
		if ((SECONDS >= deadline)); then
			fail_process "${pending[0]}" "not ready after ${READY_TIMEOUT}s"
		fi
		sleep 1
	done
}

fail_process() {
	printf 'error: %s %s; last lines of %s:\n' "$1" "$2" "$(rel "$(log_file "$1")")" >&2
	tail -n 40 "$(log_file "$1")" >&2 || true
	printf "(processes that did start keep running: '%s status', '%s down')\n" "$0" "$0" >&2
	exit 1
}

# TERM, up to 20 s of grace, then KILL. Removes the pid and port files either way.
stop_process() {
	local name=$1 pid i
	if is_alive "$name"; then
		pid=$(read_pid "$name")
		log "stopping $name (pid $pid)"
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 40; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "$name did not stop within 20s: killing it"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -f "$(pid_file "$name")" "$(port_file "$name")"
}

# --- cluster.env and demo data ------------------------------------------------------------------

database_url() {
	printf 'jdbc:postgresql://%s:%s/%s' "$PG_HOST" "$PG_PORT" "$DB_NAME"
}

auth_urls() {
	local name urls=()
	for name in $(running_replicas); do
		urls+=("http://127.0.0.1:$(read_port "$name")")
	done
	printf '%s' "${urls[*]}"
}

write_cluster_env() {
	(
		umask 077
		cat >"$CLUSTER_ENV" <<EOF
ADMIN_URL=http://127.0.0.1:$(read_port admin)
AUTH_URLS="$(auth_urls)"
ADMIN_TOKEN=$ADMIN_TOKEN
MANAGEMENT_SECRET=$MANAGEMENT_SECRET
NAMESPACE=$NAMESPACE
DATABASE_URL=$(database_url)
DATABASE_USER=$DB_USER
DATABASE_PASSWORD=${DB_PASSWORD:+$(printf '%q' "$DB_PASSWORD")}
REDIS_HOST=$REDIS_HOST
REDIS_PORT=$REDIS_PORT
EOF
	)
}

env_value() { sed -n "s/^$1=//p" "$CLUSTER_ENV"; }

# A running cluster keeps the namespace, database and Redis it was started with, whatever the
# environment says now: new replicas must join the same one.
load_cluster_env() {
	local url
	[[ -f $CLUSTER_ENV ]] || return 0
	NAMESPACE=$(env_value NAMESPACE)
	DB_USER=$(env_value DATABASE_USER)
	# shellcheck source=/dev/null  # written by write_cluster_env; the password is shell-quoted
	DB_PASSWORD=$(source "$CLUSTER_ENV" && printf '%s' "${DATABASE_PASSWORD:-}")
	REDIS_HOST=$(env_value REDIS_HOST)
	REDIS_PORT=$(env_value REDIS_PORT)
	url=$(env_value DATABASE_URL)
	[[ -n $NAMESPACE && -n $DB_USER && -n $REDIS_HOST && -n $REDIS_PORT ]] ||
		die "$(rel "$CLUSTER_ENV") is incomplete: run '$0 down' and '$0 up'"
	if [[ $url =~ ^jdbc:postgresql://([^:/]+):([0-9]+)/(.+)$ ]]; then
		PG_HOST=${BASH_REMATCH[1]} PG_PORT=${BASH_REMATCH[2]} DB_NAME=${BASH_REMATCH[3]}
	fi
}

# admin_api METHOD PATH [JSON]: prints the body, then the status code on the last line.
# The token reaches curl through a config on stdin, so it never shows in the process list.
admin_api() {
	local args=(-s -X "$1" -w '\n%{http_code}' -K -)
	if [[ $# -ge 3 ]]; then
		args+=(-H 'Content-Type: application/json' --data "$3")
	fi
	printf 'header = "Authorization: Bearer %s"\n' "$ADMIN_TOKEN" |
		curl "${args[@]}" "http://127.0.0.1:$(read_port admin)$2"
}

expect_status() {
	local what=$1 response=$2 wanted=$3 code
	code=${response##*$'\n'}
	[[ " $wanted " == *" $code "* ]] || die "$what failed with HTTP $code: ${response%$'\n'*}"
}

seed_demo_data() {
	local response
	response=$(admin_api GET /api/identities)
	expect_status "listing identities" "$response" 200
	if [[ $(tr -d ' \n\r\t' <<<"${response%$'\n'*}") == '[]' ]]; then
		log "creating the portal identity"
		response=$(admin_api POST /api/identities \
			'{"name":"Local portal","email":"admin@gatehouse.localhost","description":"created by infra/local/cluster.sh"}')
		expect_status "creating the identity" "$response" 201
	fi
	log "putting app demo"
	response=$(admin_api PUT /api/apps/demo "$(demo_app_json)")
	expect_status "putting app demo" "$response" "200 201"
}

demo_app_json() {
	cat <<'EOF'
{
  "paths": {
    "/": {"access": "public", "headers": {"X-Ptl-Foo": "baz"}},
    "/private": {"access": "private", "headers": {"X-Ptl-Foo": "bar {{ auth.client_name }}"}}
  },
  "lifecycle": {"always_on": false, "idle_for_stop": 600}
}
EOF
}

# --- output -------------------------------------------------------------------------------------

print_status() {
	local name pid port state ready any=0
	printf '%-8s %-8s %-6s %-6s %s\n' NAME PID PORT STATE READINESS
	for name in $(known_processes); do
		any=1
		pid=$(read_pid "$name" || echo -)
		port=$(read_port "$name" || echo -)
		if is_alive "$name"; then
			state=alive
			ready=$(readiness_code "$port")
			if [[ $ready == 200 ]]; then ready="200 UP"; else ready="$ready not ready"; fi
		else
			state=dead ready=-
		fi
		printf '%-8s %-8s %-6s %-6s %s\n' "$name" "$pid" "$port" "$state" "$ready"
	done
	((any)) || echo "(nothing started: run '$0 up')"
	return 0
}

print_env() {
	[[ -f $CLUSTER_ENV ]] || return 0
	echo
	echo "$(rel "$CLUSTER_ENV"):"
	sed -E 's/^(ADMIN_TOKEN|MANAGEMENT_SECRET|DATABASE_PASSWORD)=.+/\1=<hidden, see the file>/; s/^/  /' "$CLUSTER_ENV"
}

print_examples() {
	local env_file
	env_file=$(rel "$CLUSTER_ENV")
	cat <<EOF

Try it (the admin token is ADMIN_TOKEN in $env_file and in $(rel "$SECRETS_FILE")):

  cd $REPO_ROOT && source $env_file && AUTH=\${AUTH_URLS%% *}

  # public path: 200 with X-Ptl-* headers (X-Ptl-Foo: baz)
  curl -si -H 'X-Forwarded-Host: $DEMO_HOST' -H 'X-Forwarded-Uri: /' "\$AUTH/internal/auth"

  # private path without a terminal: 401
  curl -si -H 'X-Forwarded-Host: $DEMO_HOST' -H 'X-Forwarded-Uri: /private' "\$AUTH/internal/auth"

  # pair a terminal: the admin issues a code, the terminal redeems it for a token
  CODE=\$(curl -s -X POST -H "Authorization: Bearer \$ADMIN_TOKEN" "\$ADMIN_URL/api/pairing-codes" | sed -n 's/.*"code":"\\([^"]*\\)".*/\\1/p')
  TOKEN=\$(curl -s -X POST -H 'Content-Type: application/json' -d "{\\"code\\":\\"\$CODE\\",\\"name\\":\\"laptop\\"}" "\$ADMIN_URL/api/terminals/pair" | sed -n 's/.*"token":"\\([^"]*\\)".*/\\1/p')

  # private path with the terminal cookie: 200 with X-Ptl-Foo: bar laptop
  curl -si -H 'X-Forwarded-Host: $DEMO_HOST' -H 'X-Forwarded-Uri: /private' -H "Cookie: authorization=Bearer%20\$TOKEN" "\$AUTH/internal/auth"

  $0 status | scale N | logs [name] | down
EOF
}

print_summary() {
	echo
	echo "Gatehouse local cluster is up (namespace $NAMESPACE, database $DB_NAME)."
	print_status
	print_env
	print_examples
}

# --- subcommands --------------------------------------------------------------------------------

parse_count() {
	local value=$1 min=$2
	if ! [[ $value =~ ^[0-9]{1,3}$ ]] || ((10#$value < min || 10#$value > MAX_REPLICAS)); then
		die "replica count must be a number from $min to $MAX_REPLICAS, not '$value'"
	fi
	printf '%s' "$((10#$value))"
}

any_alive() {
	local name
	for name in $(known_processes); do
		is_alive "$name" && return 0
	done
	return 1
}

cmd_up() {
	local wanted=${1:-} count running known highest
	count=$(parse_count "${wanted:-2}" 1)
	mkdir -p "$LOG_DIR" "$PID_DIR"
	if any_alive; then
		load_cluster_env
	fi
	running=$(running_replicas | wc -l)
	known=$(known_processes | grep -c '^auth-' || true)
	highest=$(known_processes | sed -n 's/^auth-//p' | tail -n 1)
	if is_alive admin && [[ -f $CLUSTER_ENV ]] && ((running > 0 && running == known)); then
		if [[ -z $wanted || $running -eq $count ]]; then
			echo "Gatehouse local cluster is already up."
			print_status
			print_env
			return 0
		fi
		log "already up with $running replica(s): scaling to $count"
		cmd_scale "$count"
		return 0
	fi
	# a partly running cluster without an explicit N gets all its known replicas back
	if [[ -z $wanted ]] && ((${highest:-0} > count)); then
		count=$highest
	fi
	validate_settings
	ensure_postgres
	ensure_redis
	ensure_jars
	ensure_database
	ensure_secrets

	if ! is_alive admin; then
		stop_process admin # clears stale files
		start_admin
	fi
	wait_ready admin
	start_replicas "$count"
	seed_demo_data
	write_cluster_env
	print_summary
}

cmd_scale() {
	local count name
	[[ $# -eq 1 ]] || die "usage: $0 scale N"
	count=$(parse_count "$1" 0)
	is_alive admin || die "the cluster is not up: run '$0 up' first"
	load_cluster_env
	ensure_secrets
	for name in $(known_processes); do
		if [[ $name == auth-* ]] && ((${name#auth-} > count)); then
			stop_process "$name"
		fi
	done
	start_replicas "$count"
	write_cluster_env
	echo "Now running $count auth replica(s)."
	print_status
	print_env
}

cmd_down() {
	local names=() name i
	mapfile -t names < <(known_processes)
	if ((${#names[@]} == 0)); then
		rm -f "$CLUSTER_ENV"
		echo "Nothing is running."
		return 0
	fi
	# replicas first (newest first), the admin last
	for ((i = ${#names[@]} - 1; i >= 0; i--)); do
		stop_process "${names[i]}"
	done
	rm -f "$CLUSTER_ENV" # it describes a running cluster
	echo "Stopped. Logs and secrets stay in $(rel "$RUN_DIR")."
}

cmd_logs() {
	local files=()
	if [[ $# -ge 1 ]]; then
		[[ -f $(log_file "$1") ]] || die "no log for '$1' in $(rel "$LOG_DIR")"
		files=("$(log_file "$1")")
	else
		shopt -s nullglob
		files=("$LOG_DIR"/*.log)
		shopt -u nullglob
		((${#files[@]} > 0)) || die "no logs yet in $(rel "$LOG_DIR")"
	fi
	exec tail -n "${LINES_TO_SHOW:-50}" -F "${files[@]}"
}

usage() {
	sed -n '2,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

main() {
	local command=${1:-help}
	shift || true
	case $command in
		up) cmd_up "$@" ;;
		down) cmd_down ;;
		status) print_status && print_env ;;
		scale) cmd_scale "$@" ;;
		logs) cmd_logs "$@" ;;
		help | -h | --help) usage ;;
		*) usage >&2 && exit 2 ;;
	esac
}

main "$@"
