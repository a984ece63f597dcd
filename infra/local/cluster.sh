#!/usr/bin/env bash
# A local Gatehouse cluster without containers: the admin (or several) and N auth replicas as JVM
# processes on loopback ports (with the local PostgreSQL and Redis), behind a real Traefik
# (infra/local/traefik.sh) configured from infra/traefik/: every <app>.<zone> host (zone: localhost) goes
# through forwardAuth to a demo app that echoes what reached it (infra/local/demo-app.py).
#
#   infra/local/cluster.sh up [N]       start admin + N auth replicas (default 3) + Traefik, seed demo data
#   infra/local/cluster.sh status       every process (pid, port, alive, readiness), Traefik's replica health
#   infra/local/cluster.sh scale N      start or stop replicas so exactly N run; Traefik follows
#   infra/local/cluster.sh logs [name]  follow logs: admin, admin-N, auth-N, traefik, traefik-access, demo-app, or all
#   infra/local/cluster.sh down         stop everything
#
# State (pids, ports, logs, secrets, Traefik's config, cluster.env) lives in infra/local/run/, or in
# GATEHOUSE_RUN_DIR: with its own GATEHOUSE_DB and GATEHOUSE_NAMESPACE, a second cluster runs beside the
# first. GATEHOUSE_ADMINS=N (1 to 5; default: as many as the cluster has, a new one 1) runs admin,
# admin-2, ... admin-N with one database, namespace and token on ports of their own (one leads, all serve
# the API; the script and Traefik use the first that runs). Also: GATEHOUSE_DB_USER / _PASSWORD,
# GATEHOUSE_PG_HOST / _PORT, GATEHOUSE_REDIS_HOST / _PORT, GATEHOUSE_JAVA_OPTS, GATEHOUSE_READY_TIMEOUT (s),
# GATEHOUSE_APP_ZONE, GATEHOUSE_ADMIN_PORTAL_ZONE, GATEHOUSE_PROXY_PORT (Traefik's port, 20000-31999;
# default: a free one), GATEHOUSE_TRAEFIK (a binary).
# Other GATEHOUSE_ADMIN_* settings (peers, outbound relay) reach the admin from the environment; so do
# GATEHOUSE_LOG_FORMAT=ecs|logstash|gelf (JSON logs) and LOGGING_LEVEL_DEV_GATEHOUSE=debug (a line per
# answer) every service: `GATEHOUSE_LOG_FORMAT=ecs infra/local/cluster.sh up` (after `down` if it runs:
# `up` restarts only what died).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
TRAEFIK_CONFIG=$REPO_ROOT/infra/traefik
RUN_DIR=${GATEHOUSE_RUN_DIR:-$SCRIPT_DIR/run}
[[ $RUN_DIR == /* ]] || RUN_DIR=$PWD/$RUN_DIR
RUN_DIR=${RUN_DIR%/}
LOG_DIR=$RUN_DIR/logs PID_DIR=$RUN_DIR/pids TRAEFIK_DIR=$RUN_DIR/traefik
SECRETS_FILE=$RUN_DIR/secrets.env CLUSTER_ENV=$RUN_DIR/cluster.env
SELF=$0 # how messages name this script: with the run directory when it is not the default one
[[ -z ${GATEHOUSE_RUN_DIR:-} ]] || SELF="GATEHOUSE_RUN_DIR=$(printf '%q' "$RUN_DIR") $0"

DB_NAME=${GATEHOUSE_DB:-gatehouse}
NAMESPACE=${GATEHOUSE_NAMESPACE:-gatehouse-local}
DB_USER=${GATEHOUSE_DB_USER:-postgres} DB_PASSWORD=${GATEHOUSE_DB_PASSWORD:-}
PG_HOST=${GATEHOUSE_PG_HOST:-127.0.0.1} PG_PORT=${GATEHOUSE_PG_PORT:-5432}
REDIS_HOST=${GATEHOUSE_REDIS_HOST:-127.0.0.1} REDIS_PORT=${GATEHOUSE_REDIS_PORT:-6379}
READY_TIMEOUT=${GATEHOUSE_READY_TIMEOUT:-90}
# memory per JVM (docs/benchmarks.md, "Memory"): a small young generation, a heap that gives back what it
# does not use, malloc's freed memory returned to the OS (JIT arenas), and on JDK 25 compact object
# headers (added by jvm_options when the JVM has them)
JAVA_OPTS=${GATEHOUSE_JAVA_OPTS:--Xms32m -Xmx256m -Xmn16m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError}
TEMURIN_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
APP_ZONE=${GATEHOUSE_APP_ZONE:-localhost}
# the zone of identity domains (<short id>.<zone>), the admin's gatehouse.admin.portal-zone and its default
PORTAL_ZONE=${GATEHOUSE_ADMIN_PORTAL_ZONE:-gatehouse.localhost}
PROXY_PORT=${GATEHOUSE_PROXY_PORT:-}
ADMINS=${GATEHOUSE_ADMINS:-}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
rel() { printf '%s' "${1#"$REPO_ROOT"/}"; }
tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

java_bin() {
	local java
	for java in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$TEMURIN_HOME/bin/java" "$(command -v java)"; do
		[[ ! -x $java ]] || { printf '%s' "$java" && return 0; }
	done
	die "no java found: set JAVA_HOME or install a JDK 21+"
}

find_jar() { compgen -G "$REPO_ROOT/$1/target/$1-*-exec.jar" | head -n 1 || true; }

validate_settings() {
	[[ $DB_NAME =~ ^[a-z_][a-z0-9_]*$ ]] || die "GATEHOUSE_DB '$DB_NAME' must be lower-case letters, digits and _"
	[[ $NAMESPACE =~ ^[A-Za-z0-9._-]+$ ]] || die "GATEHOUSE_NAMESPACE '$NAMESPACE' must be letters, digits . _ -"
	[[ $READY_TIMEOUT =~ ^[0-9]+$ ]] || die "GATEHOUSE_READY_TIMEOUT must be a number of seconds"
	[[ $APP_ZONE =~ ^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$ ]] || die "GATEHOUSE_APP_ZONE '$APP_ZONE' must be a domain name such as localhost"
	[[ $PORTAL_ZONE =~ ^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$ ]] ||
		die "GATEHOUSE_ADMIN_PORTAL_ZONE '$PORTAL_ZONE' must be a domain name such as gatehouse.localhost"
	[[ -z $PROXY_PORT ]] || { [[ $PROXY_PORT =~ ^[0-9]{5}$ ]] && ((PROXY_PORT >= 20000 && PROXY_PORT < 32000)); } ||
		die "GATEHOUSE_PROXY_PORT '$PROXY_PORT' must be a port from 20000 to 31999"
}

# --- PostgreSQL, Redis, jars, secrets -----------------------------------------------------------
# services.sh installs (Debian packages) and starts the local PostgreSQL and Redis when they are
# absent, and keeps the local superuser this script logs in as unless GATEHOUSE_DB_USER says otherwise.
ensure_services() {
	if [[ $PG_HOST:$PG_PORT == 127.0.0.1:5432 && $REDIS_HOST:$REDIS_PORT == 127.0.0.1:6379 ]]; then
		local settings
		settings=$("$SCRIPT_DIR/services.sh") || die "could not install or start PostgreSQL and Redis"
		eval "$settings"
		DB_USER=${GATEHOUSE_DB_USER:-$GATEHOUSE_PG_USER}
		DB_PASSWORD=${GATEHOUSE_DB_PASSWORD:-$GATEHOUSE_PG_PASSWORD}
	fi
	tcp_open "$PG_HOST" "$PG_PORT" || die "PostgreSQL is not reachable at $PG_HOST:$PG_PORT"
	tcp_open "$REDIS_HOST" "$REDIS_PORT" || die "Redis is not reachable at $REDIS_HOST:$REDIS_PORT"
}

psql_cmd() { PGPASSWORD=$DB_PASSWORD psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$DB_USER" "$@"; }
database_url() { printf 'jdbc:postgresql://%s:%s/%s' "$PG_HOST" "$PG_PORT" "$DB_NAME"; }

ensure_database() {
	have psql || die "psql is needed to create the database '$DB_NAME'"
	echo "select format('create database %I', '$DB_NAME') where not exists
		(select 1 from pg_database where datname = '$DB_NAME') \gexec" | psql_cmd -d postgres -o /dev/null
}

# Replicas log in as their own role, a member of the reader role the admin's migrations grant SELECT on
# the cached columns to: no private key, no write. Both roles are named after the database, so clusters
# sharing one PostgreSQL cannot read each other's.
ensure_replica_role() {
	REPLICA_DB_PASSWORD=$REPLICA_DB_PASSWORD psql_cmd -d "$DB_NAME" -o /dev/null -v role="${DB_NAME}_auth" \
		-v reader="${DB_NAME}_reader" -f "$SCRIPT_DIR/replica-role.sql"
}

ensure_jars() {
	[[ -n $(find_jar admin-service) && -n $(find_jar auth-service) ]] && return 0
	have mvn || die "the service jars are missing and mvn is not installed to build them"
	log "building jars (mvn -B -q -DskipTests package)"
	if [[ -z ${JAVA_HOME:-} && -x $TEMURIN_HOME/bin/java ]]; then local -x JAVA_HOME=$TEMURIN_HOME; fi
	(cd "$REPO_ROOT" && mvn -B -q -DskipTests package)
	[[ -n $(find_jar admin-service) && -n $(find_jar auth-service) ]] || die "the build made no *-exec.jar"
}

# Created once, kept by every later run (a running admin keeps its token).
ensure_secrets() {
	local name
	(umask 077 && touch "$SECRETS_FILE")
	for name in ADMIN_TOKEN MANAGEMENT_SECRET REPLICA_DB_PASSWORD; do
		grep -q "^$name=" "$SECRETS_FILE" || printf '%s=%s\n' "$name" "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" >>"$SECRETS_FILE"
	done
	ADMIN_TOKEN='' MANAGEMENT_SECRET='' REPLICA_DB_PASSWORD=''
	eval "$(grep -E '^(ADMIN_TOKEN|MANAGEMENT_SECRET|REPLICA_DB_PASSWORD)=[0-9a-f]+$' "$SECRETS_FILE")"
	[[ ${#ADMIN_TOKEN} -ge 16 && -n $MANAGEMENT_SECRET && -n $REPLICA_DB_PASSWORD ]] ||
		die "$(rel "$SECRETS_FILE") is incomplete: delete it and run up again"
}

# --- processes: NAME.pid and NAME.port in $PID_DIR, NAME.log in $LOG_DIR -------------------------
pid_file() { printf '%s/%s.pid' "$PID_DIR" "$1"; }
port_file() { printf '%s/%s.port' "$PID_DIR" "$1"; }
log_file() { printf '%s/%s.log' "$LOG_DIR" "$1"; }
read_pid() { [[ -f $(pid_file "$1") ]] && cat "$(pid_file "$1")"; }
read_port() { [[ -f $(port_file "$1") ]] && cat "$(port_file "$1")"; }

# What the command line of each process contains, so a recycled pid is never taken for it.
marker() {
	case $1 in
		traefik) printf '%s' "--configFile=$TRAEFIK_DIR/traefik.yml" ;;
		demo-app) printf '%s' "demo-app.py $(read_port demo-app)" ;;
		*) printf '%s' "-Dgatehouse.local.process=$1 -Dgatehouse.local.run-dir=$RUN_DIR " ;;
	esac
}

# True while the pid runs (a zombie does not count).
pid_running() { [[ $(ps -o stat= -p "$1" 2>/dev/null || true) =~ ^[^Z] ]]; }

is_alive() {
	local pid
	pid=$(read_pid "$1") || return 1
	[[ $pid =~ ^[0-9]+$ ]] && pid_running "$pid" && ps -o args= -p "$pid" | grep -q -F -e "$(marker "$1")"
}

http_code() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" || true; }
readiness_code() { http_code "http://127.0.0.1:$1/actuator/health/readiness"; }

# admin, admin-2, ..., then auth-1, auth-2, ... (every name that has a pid file)
known_processes() {
	[[ ! -f $(pid_file admin) ]] || echo admin
	compgen -G "$PID_DIR/admin-*.pid" | sed 's|.*/||; s|\.pid$||' | sort -t- -k2,2n || true
	compgen -G "$PID_DIR/auth-*.pid" | sed 's|.*/||; s|\.pid$||' | sort -t- -k2,2n || true
}

running_admins() {
	local name
	for name in $(known_processes); do [[ $name == auth-* ]] || ! is_alive "$name" || echo "$name"; done
}

running_replicas() {
	local name
	for name in $(known_processes); do [[ $name != auth-* ]] || ! is_alive "$name" || echo "$name"; done
}

# The admin the script talks to and Traefik's portal route points at: the first one that runs.
live_admin() {
	local names
	mapfile -t names < <(running_admins)
	printf '%s' "${names[0]:-}"
}

# GATEHOUSE_ADMINS, else as many as the cluster had (a killed admin keeps its pid file), else 1.
admin_count() {
	local highest
	[[ -z $ADMINS || $ADMINS =~ ^[1-5]$ ]] || die "GATEHOUSE_ADMINS '$ADMINS' must be a number from 1 to 5"
	highest=$(known_processes | sed -n 's/^admin-//p' | tail -n 1)
	printf '%s' "${ADMINS:-${highest:-1}}"
}

# admin_names N: admin, admin-2, ... admin-N, a line each
admin_names() {
	local i
	echo admin
	for ((i = 2; i <= $1; i++)); do echo "admin-$i"; done
}

ready_replicas() {
	local name
	for name in $(running_replicas); do [[ $(readiness_code "$(read_port "$name")") != 200 ]] || echo "$name"; done
}

RESERVED_PORTS=" " # handed out in this run, maybe not listening yet

# Sets PICKED_PORT: the port NAME had while it is free (PROXY_URL survives a restart), else a new one.
pick_port() {
	local port
	port=$(read_port "$1" 2>/dev/null || true)
	while [[ ! $port =~ ^[0-9]+$ || $RESERVED_PORTS == *" $port "* ]] || ((port >= 32000)) || tcp_open 127.0.0.1 "$port"; do
		port=$((20000 + RANDOM % 12000)) # below the kernel's ephemeral ports (32768+), which clients hold
	done
	RESERVED_PORTS+="$port " PICKED_PORT=$port
	echo "$port" >"$(port_file "$1")"
}

# jvm_options JAVA: JAVA_OPTS, plus compact object headers (JEP 519: about 10% less heap for the caches)
# when they are the defaults and the JVM has them
jvm_options() {
	if [[ -z ${GATEHOUSE_JAVA_OPTS:-} ]] && "$1" -XX:+UseCompactObjectHeaders -version >/dev/null 2>&1; then
		printf '%s -XX:+UseCompactObjectHeaders' "$JAVA_OPTS"
	else
		printf '%s' "$JAVA_OPTS"
	fi
}

# export_java_env PORT ENV...: what every JVM of the cluster reads, then the given assignments (secrets
# travel in the environment of a subshell, never on a command line)
export_java_env() {
	local assignment
	export SERVER_PORT="$1" SPRING_DATASOURCE_URL="$(database_url)" SPRING_DATASOURCE_USERNAME="$DB_USER" \
		SPRING_DATASOURCE_PASSWORD="$DB_PASSWORD" SPRING_DATA_REDIS_HOST="$REDIS_HOST" \
		SPRING_DATA_REDIS_PORT="$REDIS_PORT" GATEHOUSE_NAMESPACE="$NAMESPACE" MALLOC_ARENA_MAX=2
	shift
	for assignment in "$@"; do export "${assignment?}"; done
}

# start_java NAME MODULE ENV...: the module in the background; exec makes $! the JVM. The auth-service
# starts from its AOT cache when prepare_aot made one.
start_java() {
	local name=$1 module=$2 java
	java=$(java_bin)
	shift 2
	pick_port "$name"
	local -a opts launch=(-jar "$(find_jar "$module")")
	read -r -a opts <<<"$(jvm_options "$java")"
	if [[ $module == auth-service && -f $RUN_DIR/aot/app.aot ]]; then
		launch=("-XX:AOTCache=$RUN_DIR/aot/app.aot" -jar "$RUN_DIR/aot/app/$(basename "$(find_jar "$module")")")
	fi
	log "starting $name on port $PICKED_PORT"
	(
		export_java_env "$PICKED_PORT" "$@"
		exec nohup "$java" "-Dgatehouse.local.process=$name" "-Dgatehouse.local.run-dir=$RUN_DIR" "${opts[@]}" \
			"${launch[@]}" >"$(log_file "$name")" 2>&1 </dev/null
	) &
	echo $! >"$(pid_file "$name")"
}

# JDK 25's AOT cache (JEP 483, 514) for the auth-service: the classes a training run loaded and linked,
# mapped at start instead of found, read, verified and linked again; a replica is ready in about half the
# time (docs/benchmarks.md, "Start-up"). Made once per jar build from the jar extracted to a plain class
# path (a cache cannot hold nested jars), by a run that starts a replica's context against this
# cluster's PostgreSQL and Redis and exits. On an older JDK, or if training fails, replicas start from
# the jar as before.
prepare_aot() {
	local java jar dir=$RUN_DIR/aot sum
	java=$(java_bin) jar=$(find_jar auth-service)
	"$java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q AOTCacheOutput || return 0
	sum=$(sha256sum "$jar" | cut -d' ' -f1)
	[[ -f $dir/app.aot && $(cat "$dir/jar.sha256" 2>/dev/null) == "$sum" ]] && return 0
	log "training the auth-service's AOT cache (once per build)"
	rm -rf "$dir" && mkdir -p "$dir"
	local -a opts
	read -r -a opts <<<"$(jvm_options "$java")"
	if "$java" -Djarmode=tools -jar "$jar" extract --destination "$dir/app" >"$dir/train.log" 2>&1 &&
		(
			export_java_env 0 "GATEHOUSE_MANAGEMENT_SECRET=$MANAGEMENT_SECRET" "SPRING_DATASOURCE_USERNAME=${DB_NAME}_auth" \
				"SPRING_DATASOURCE_PASSWORD=$REPLICA_DB_PASSWORD"
			exec "$java" "${opts[@]}" "-XX:AOTCacheOutput=$dir/app.aot" -Dspring.context.exit=onRefresh \
				-jar "$dir/app/$(basename "$jar")" >>"$dir/train.log" 2>&1 </dev/null
		) && [[ -f $dir/app.aot ]]; then
		printf '%s\n' "$sum" >"$dir/jar.sha256"
	else
		log "no AOT cache (see $(rel "$dir/train.log")): replicas start from the jar"
		rm -f "$dir/app.aot"
	fi
}

# start_admin NAME. No app containers on such a host: activity is recorded, nothing is started or stopped.
start_admin() {
	start_java "$1" admin-service "GATEHOUSE_ADMIN_TOKEN=$ADMIN_TOKEN" "GATEHOUSE_ADMIN_READER_ROLE=${DB_NAME}_reader" \
		"GATEHOUSE_ADMIN_LIFECYCLE_RUNTIME=${GATEHOUSE_ADMIN_LIFECYCLE_RUNTIME:-none}" "GATEHOUSE_ADMIN_PORTAL_ZONE=$PORTAL_ZONE"
}

start_replica() {
	# shutdown delay: Traefik's health check (1 s interval, 1 s timeout) takes a stopping replica out first
	start_java "$1" auth-service "GATEHOUSE_MANAGEMENT_SECRET=$MANAGEMENT_SECRET" "GATEHOUSE_AUTH_REPLICA_ID=$1" \
		"SPRING_DATASOURCE_USERNAME=${DB_NAME}_auth" "SPRING_DATASOURCE_PASSWORD=$REPLICA_DB_PASSWORD" \
		"GATEHOUSE_AUTH_SHUTDOWN_DELAY=3s" "GATEHOUSE_AUTH_HTTP_ADDRESS=127.0.0.1"
}

# Starts whichever of admin, admin-2..admin-N is not running (the first alone: it migrates a new database),
# stops the admins above N, and waits until all N are ready.
start_admins() {
	local count=$1 i name others=()
	is_alive admin || { stop_process admin && start_admin admin; }
	wait_ready admin
	for ((i = 2; i <= count; i++)); do
		others+=("admin-$i")
		is_alive "admin-$i" || { stop_process "admin-$i" && start_admin "admin-$i"; }
	done
	for name in $(known_processes); do
		[[ $name != admin-* ]] || ((${name#admin-} <= count)) || stop_process "$name"
	done
	((${#others[@]} == 0)) || wait_ready "${others[@]}"
}

# Starts whichever of auth-1..auth-N is not running, then waits until all N are ready.
start_replicas() {
	local count=$1 i all=()
	((count == 0)) || prepare_aot
	for ((i = 1; i <= count; i++)); do
		all+=("auth-$i")
		is_alive "auth-$i" || { stop_process "auth-$i" && start_replica "auth-$i"; }
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
			is_alive "$name" || fail_process "$name" "exited during startup"
			[[ $(readiness_code "$(read_port "$name")") == 200 ]] || pending+=("$name")
		done
		((${#pending[@]} == 0)) && return 0
		((SECONDS < deadline)) || fail_process "${pending[0]}" "not ready after ${READY_TIMEOUT}s"
		sleep 0.5
	done
}

fail_process() {
	printf 'error: %s %s; last lines of %s:\n' "$1" "$2" "$(rel "$(log_file "$1")")" >&2
	tail -n 40 "$(log_file "$1")" >&2 || true
	printf "(processes that did start keep running: '%s status', '%s down')\n" "$SELF" "$SELF" >&2
	exit 1
}

# TERM, up to 20 s of grace (the services drain in-flight requests), then KILL; forgets the pid.
stop_process() {
	local name=$1 pid i
	if is_alive "$name"; then
		pid=$(read_pid "$name")
		log "stopping $name (pid $pid)"
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 40; i++)); do pid_running "$pid" || break; sleep 0.5; done
		pid_running "$pid" && { log "$name did not stop within 20s: killing it"; kill -KILL "$pid" 2>/dev/null || true; }
	fi
	rm -f "$(pid_file "$name")"
	[[ $name == traefik || $name == demo-app ]] || rm -f "$(port_file "$name")"
}

# --- Traefik and the demo app -------------------------------------------------------------------
api_url() { printf 'http://127.0.0.1:%s/api' "$(read_port traefik-api)"; }

# fill TEMPLATE NAME=VALUE...: the template with every @NAME@ replaced.
fill() {
	local text assignment
	text=$(<"$1") && shift
	for assignment in "$@"; do
		text=${text//"@${assignment%%=*}@"/"${assignment#*=}"}
	done
	printf '%s\n' "$text"
}

# The routes for exactly these replicas, written whole and moved into the watched directory.
write_routes() {
	local name servers=() zone_regex=${APP_ZONE//./\\.} portal_regex=${PORTAL_ZONE//./\\.} admin
	for name in "$@"; do servers+=("{url: \"http://127.0.0.1:$(read_port "$name")\"}"); done
	admin=$(live_admin) # while IFS is the default: live_admin splits a list of names
	local IFS=,
	fill "$TRAEFIK_CONFIG/local/routes.yml" "APP_ZONE_REGEX=$zone_regex" "PORTAL_ZONE_REGEX=$portal_regex" \
		"APP_PORT=$(read_port demo-app)" "ADMIN_PORT=$(read_port "$admin")" "AUTH_SERVERS=${servers[*]}" \
		>"$TRAEFIK_DIR/routes.yml.new"
	mv -f "$TRAEFIK_DIR/routes.yml.new" "$TRAEFIK_DIR/dynamic/routes.yml"
}

# Points Traefik at exactly these replicas and waits until it serves that list.
route_to() {
	local name wanted i
	write_routes "$@"
	wanted=$(for name in "$@"; do echo "http://127.0.0.1:$(read_port "$name")"; done | sort)
	for ((i = 0; i < 100; i++)); do
		[[ $(curl -s -m 2 "$(api_url)/http/services/gatehouse-auth@file" | grep -o '"url":"[^"]*"' | cut -d'"' -f4 |
			sort) != "$wanted" ]] || return 0
		sleep 0.1
	done
	die "Traefik did not take the new replica list within 10s: see $SELF logs traefik"
}

start_demo_app() {
	have python3 || die "the demo app needs python3 (Debian: apt-get install python3)"
	pick_port demo-app
	log "starting the demo app on port $PICKED_PORT"
	nohup python3 "$SCRIPT_DIR/demo-app.py" "$PICKED_PORT" >"$(log_file demo-app)" 2>&1 </dev/null &
	echo $! >"$(pid_file demo-app)"
}

# Traefik with its static config in the run directory, the shared middlewares (only the internal
# entrypoint's port differs) and this cluster's routes beside them in one watched directory.
start_traefik() {
	local binary i
	binary=${GATEHOUSE_TRAEFIK:-$("$SCRIPT_DIR/traefik.sh")} || die "no Traefik binary (infra/local/traefik.sh failed)"
	mkdir -p "$TRAEFIK_DIR/dynamic"
	if [[ -n $PROXY_PORT ]]; then
		! tcp_open 127.0.0.1 "$PROXY_PORT" || die "GATEHOUSE_PROXY_PORT $PROXY_PORT is taken"
		echo "$PROXY_PORT" >"$(port_file traefik)"
	fi
	pick_port traefik && local web=$PICKED_PORT
	pick_port traefik-auth && local auth=$PICKED_PORT
	pick_port traefik-api && local api=$PICKED_PORT
	fill "$TRAEFIK_CONFIG/local/traefik.yml" "WEB_PORT=$web" "AUTH_PORT=$auth" "API_PORT=$api" \
		"DYNAMIC_DIR=$TRAEFIK_DIR/dynamic" "LOG_DIR=$LOG_DIR" >"$TRAEFIK_DIR/traefik.yml"
	sed "s|127\.0\.0\.1:9000|127.0.0.1:$auth|" "$TRAEFIK_CONFIG/dynamic/middlewares.yml" >"$TRAEFIK_DIR/dynamic/middlewares.yml"
	write_routes "$@"
	log "starting Traefik ($("$binary" version | sed -n 's/^Version: *//p')) on port $web, auth entrypoint $auth, API $api"
	: >"$(log_file traefik-access)"
	nohup "$binary" "--configFile=$TRAEFIK_DIR/traefik.yml" >"$(log_file traefik)" 2>&1 </dev/null &
	echo $! >"$(pid_file traefik)"
	for ((i = 0; i < 100; i++)); do
		is_alive traefik || fail_process traefik "exited during startup"
		[[ $(http_code "http://127.0.0.1:$api/ping") != 200 ]] || return 0
		sleep 0.1
	done
	fail_process traefik "did not answer /ping within 10s"
}

# The proxy comes back if it died, and follows the ready replicas if its list is stale.
sync_proxy() {
	local ready
	mapfile -t ready < <(ready_replicas)
	is_alive demo-app || { stop_process demo-app && start_demo_app; }
	is_alive traefik || { stop_process traefik && start_traefik "${ready[@]}"; }
	route_to "${ready[@]}"
}

# --- cluster.env and demo data ------------------------------------------------------------------
# urls_of NAME...: their URLs, space-separated
urls_of() {
	local name
	for name in "$@"; do printf 'http://127.0.0.1:%s\n' "$(read_port "$name")"; done | paste -sd ' '
}

# Written beside the old one and moved over it: a failure never leaves a truncated file.
write_cluster_env() {
	(
		umask 077
		local -a admins replicas
		mapfile -t admins < <(running_admins)
		mapfile -t replicas < <(running_replicas)
		printf '%s\n' "ADMIN_URL=http://127.0.0.1:$(read_port "$(live_admin)")" "ADMIN_URLS=\"$(urls_of "${admins[@]}")\"" \
			"AUTH_URLS=\"$(urls_of "${replicas[@]}")\"" \
			"ADMIN_TOKEN=$ADMIN_TOKEN" "MANAGEMENT_SECRET=$MANAGEMENT_SECRET" "NAMESPACE=$NAMESPACE" \
			"DATABASE_URL=$(database_url)" "DATABASE_USER=$DB_USER" "DATABASE_PASSWORD=$(printf '%q' "$DB_PASSWORD")" \
			"REDIS_HOST=$REDIS_HOST" "REDIS_PORT=$REDIS_PORT" "PROXY_URL=http://127.0.0.1:$(read_port traefik)" \
			"TRAEFIK_API_URL=$(api_url)" "APP_ZONE=$APP_ZONE" "PORTAL_ZONE=$PORTAL_ZONE" >"$CLUSTER_ENV.new"
	)
	mv -f "$CLUSTER_ENV.new" "$CLUSTER_ENV"
}

# A running cluster keeps the namespace, database and Redis it was started with, whatever the
# environment says now: new replicas must join the same one.
load_cluster_env() {
	[[ -f $CLUSTER_ENV ]] || return 0
	# shellcheck source=/dev/null  # written by write_cluster_env: shell-quoted values
	source "$CLUSTER_ENV"
	DB_USER=$DATABASE_USER DB_PASSWORD=$DATABASE_PASSWORD
	[[ $DATABASE_URL =~ ^jdbc:postgresql://([^:/]+):([0-9]+)/(.+)$ ]] ||
		die "$(rel "$CLUSTER_ENV") is incomplete: run '$SELF down' and '$SELF up'"
	PG_HOST=${BASH_REMATCH[1]} PG_PORT=${BASH_REMATCH[2]} DB_NAME=${BASH_REMATCH[3]}
}

# admin_api METHOD PATH [JSON-FILE]: the answer's body; dies with it unless 2xx. The token reaches curl
# through a config on stdin, so it never shows in the process list.
admin_api() {
	local args=(-sS --fail-with-body -X "$1" -K -)
	[[ $# -lt 3 ]] || args+=(-H 'Content-Type: application/json' --data "@$3")
	printf 'header = "Authorization: Bearer %s"\n' "$ADMIN_TOKEN" |
		curl "${args[@]}" "http://127.0.0.1:$(read_port "$(live_admin)")$2" || die "admin API: $1 $2 failed"
}

seed_demo_data() {
	local identities
	identities=$(admin_api GET /api/identities)
	[[ ${identities//[[:space:]]/} != '[]' ]] || admin_api POST /api/identities "$SCRIPT_DIR/demo-identity.json" >/dev/null
	admin_api PUT /api/apps/demo "$SCRIPT_DIR/demo-app.json" >/dev/null
}

# --- output -------------------------------------------------------------------------------------
status_line() { printf '%-10s %-8s %-6s %-6s %s\n' "$@"; }

print_status() {
	local name port state ready
	status_line NAME PID PORT STATE READINESS
	for name in $(known_processes) traefik demo-app; do
		[[ -f $(pid_file "$name") ]] || continue
		port=$(read_port "$name" || echo -) state=dead ready=-
		is_alive "$name" && state=alive
		[[ $state == dead || $name == traefik || $name == demo-app ]] || ready=$(readiness_code "$port")
		status_line "$name" "$(read_pid "$name")" "$port" "$state" "$ready"
	done
	! is_alive traefik || echo "Traefik's auth servers: $(curl -s -m 2 "$(api_url)/http/services/gatehouse-auth@file" |
		grep -o '"serverStatus":{[^}]*}' | sed 's/"serverStatus"://; s|"http://127\.0\.0\.1:|:|g; s/"//g')"
}

print_env() {
	[[ -f $CLUSTER_ENV ]] || return 0
	printf '\n%s:\n' "$(rel "$CLUSTER_ENV")"
	sed -E 's/^(ADMIN_TOKEN|MANAGEMENT_SECRET|DATABASE_PASSWORD)=.+/\1=<hidden, see the file>/; s/^/  /' "$CLUSTER_ENV"
}

print_examples() {
	fill "$SCRIPT_DIR/examples.txt" "REPO_ROOT=$REPO_ROOT" "ENV_FILE=$(rel "$CLUSTER_ENV")" "SELF=$SELF"
}

# --- subcommands --------------------------------------------------------------------------------
parse_count() {
	[[ $1 =~ ^[0-9]{1,3}$ ]] && ((10#$1 >= $2 && 10#$1 <= 20)) ||
		die "replica count must be a number from $2 to 20, not '$1'"
	printf '%s' "$((10#$1))"
}

cmd_up() {
	local wanted=${1:-} count highest admins
	count=$(parse_count "${wanted:-3}" 1)
	mkdir -p "$LOG_DIR" "$PID_DIR"
	admins=$(admin_count)
	if [[ -n $wanted && $(running_admins) == "$(admin_names "$admins")" ]]; then
		cmd_scale "$count"
		print_examples
		return 0
	fi
	[[ -z $(live_admin) ]] || load_cluster_env
	validate_settings
	# without N, a running (or partly running) cluster gets its known replicas back, a new one 3
	highest=$(known_processes | sed -n 's/^auth-//p' | tail -n 1)
	[[ -n $wanted || -z $highest ]] || count=$highest
	ensure_services
	ensure_jars
	ensure_database
	ensure_secrets
	start_admins "$admins"
	ensure_replica_role
	start_replicas "$count"
	seed_demo_data
	sync_proxy
	write_cluster_env
	printf '\nGatehouse local cluster is up (namespace %s, database %s).\n' "$NAMESPACE" "$DB_NAME"
	print_status
	print_env
	print_examples
}

cmd_scale() {
	local count name stay=()
	[[ $# -eq 1 ]] || die "usage: $SELF scale N"
	count=$(parse_count "$1" 0)
	[[ -n $(live_admin) ]] || die "the cluster is not up: run '$SELF up' first"
	load_cluster_env
	ensure_secrets
	# replicas that go away leave Traefik's list before they stop
	for name in $(ready_replicas); do ((${name#auth-} > count)) || stay+=("$name"); done
	! is_alive traefik || route_to "${stay[@]}"
	for name in $(known_processes); do
		[[ $name != auth-* ]] || ((${name#auth-} <= count)) || stop_process "$name"
	done
	# new replicas join Traefik once they are ready (start_replicas waits for that)
	start_replicas "$count"
	sync_proxy
	write_cluster_env
	echo "Now running $count auth replica(s)."
	print_status
}

cmd_down() {
	local names=() i
	mapfile -t names < <(known_processes)
	# the proxy first: no request reaches a replica that is stopping; the admin last
	stop_process traefik
	stop_process demo-app
	for ((i = ${#names[@]} - 1; i >= 0; i--)); do stop_process "${names[i]}"; done
	rm -f "$CLUSTER_ENV" # it describes a running cluster
	echo "Stopped. Logs and secrets stay in $(rel "$RUN_DIR")."
}

cmd_logs() {
	local files=()
	mapfile -t files < <(compgen -G "$LOG_DIR/${1:-*}.log")
	((${#files[@]} > 0)) || die "no log for '${1:-any process}' in $(rel "$LOG_DIR")"
	exec tail -n "${LINES_TO_SHOW:-50}" -F "${files[@]}"
}

usage() { sed -n '2,/^set /s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

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
