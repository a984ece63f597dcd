#!/usr/bin/env bash
# A local Gatehouse cluster without containers: one admin-service and N auth-service replicas
# running as plain JVM processes on loopback ports, against the local PostgreSQL and Redis, behind
# a local nginx that plays Traefik's forwardAuth (infra/traefik/dynamic.yml) for every
# <app>.<zone> host (zone: localhost) and answers as a demo app that echoes what reached it.
#
#   infra/local/cluster.sh up [N]     start admin + N auth replicas (default 3) + the proxy, seed demo data
#   infra/local/cluster.sh status     show every process: pid, port, alive/dead, readiness
#   infra/local/cluster.sh scale N    start or stop auth replicas so exactly N run; reloads the proxy
#   infra/local/cluster.sh logs [name]  follow the logs (admin, auth-1, ..., proxy-access, proxy-error;
#                                       all when no name; LINES_TO_SHOW=N sets the history, default 50)
#   infra/local/cluster.sh down       stop everything
#
# State (pids, ports, logs, secrets, nginx config, cluster.env) lives in infra/local/run/ (git-ignored),
# or in GATEHOUSE_RUN_DIR: with its own GATEHOUSE_DB and GATEHOUSE_NAMESPACE too, a second cluster runs
# next to the first without touching it.
#
# Environment overrides: GATEHOUSE_RUN_DIR (state directory), GATEHOUSE_DB (database name, default
# gatehouse), GATEHOUSE_NAMESPACE (Redis key prefix, default gatehouse-local), GATEHOUSE_DB_USER /
# GATEHOUSE_DB_PASSWORD, GATEHOUSE_PG_HOST / GATEHOUSE_PG_PORT, GATEHOUSE_REDIS_HOST /
# GATEHOUSE_REDIS_PORT, GATEHOUSE_JAVA_OPTS (JVM flags of every process), GATEHOUSE_READY_TIMEOUT
# (seconds, default 90), GATEHOUSE_APP_ZONE (apps are <app>.<zone> at the proxy, default localhost).
# The proxy needs nginx with the Lua module; when either is missing, up installs them with apt-get.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
RUN_DIR=${GATEHOUSE_RUN_DIR:-$SCRIPT_DIR/run}
[[ $RUN_DIR == /* ]] || RUN_DIR=$PWD/$RUN_DIR
RUN_DIR=${RUN_DIR%/}
LOG_DIR=$RUN_DIR/logs
PID_DIR=$RUN_DIR/pids
SECRETS_FILE=$RUN_DIR/secrets.env
CLUSTER_ENV=$RUN_DIR/cluster.env
NGINX_DIR=$RUN_DIR/nginx
NGINX_CONF=$NGINX_DIR/nginx.conf
NGINX_PID_FILE=$NGINX_DIR/nginx.pid
# How messages name this script: with the run directory when it is not the default one.
SELF=$0
if [[ -n ${GATEHOUSE_RUN_DIR:-} ]]; then
	SELF="GATEHOUSE_RUN_DIR=$(printf '%q' "$RUN_DIR") $0"
fi

DB_NAME=${GATEHOUSE_DB:-gatehouse}
NAMESPACE=${GATEHOUSE_NAMESPACE:-gatehouse-local}
DB_USER=${GATEHOUSE_DB_USER:-postgres}  # the local superuser of services.sh when it runs them
DB_PASSWORD=${GATEHOUSE_DB_PASSWORD:-}
PG_HOST=${GATEHOUSE_PG_HOST:-127.0.0.1}
PG_PORT=${GATEHOUSE_PG_PORT:-5432}
REDIS_HOST=${GATEHOUSE_REDIS_HOST:-127.0.0.1}
REDIS_PORT=${GATEHOUSE_REDIS_PORT:-6379}
READY_TIMEOUT=${GATEHOUSE_READY_TIMEOUT:-90}
JAVA_OPTS=${GATEHOUSE_JAVA_OPTS:--Xms32m -Xmx256m -XX:+UseSerialGC}
TEMURIN_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
APP_ZONE=${GATEHOUSE_APP_ZONE:-localhost}
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
	[[ $APP_ZONE =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] ||
		die "GATEHOUSE_APP_ZONE '$APP_ZONE' must be a domain name such as localhost"
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

# Local PostgreSQL and Redis: installed and started by services.sh, which also keeps the local
# superuser this script logs in as unless GATEHOUSE_DB_USER / GATEHOUSE_DB_PASSWORD say otherwise.
ensure_services() {
	if is_loopback "$PG_HOST" && [[ $PG_PORT == 5432 ]] && is_loopback "$REDIS_HOST" && [[ $REDIS_PORT == 6379 ]]; then
		local settings
		settings=$("$SCRIPT_DIR/services.sh") || die "could not install or start PostgreSQL and Redis"
		eval "$settings"
		DB_USER=${GATEHOUSE_DB_USER:-$GATEHOUSE_PG_USER}
		DB_PASSWORD=${GATEHOUSE_DB_PASSWORD:-$GATEHOUSE_PG_PASSWORD}
	fi
	pg_ready || die "PostgreSQL is not reachable at $PG_HOST:$PG_PORT"
	redis_ready || die "Redis is not reachable at $REDIS_HOST:$REDIS_PORT"
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

# True while the pid runs: a zombie (exited, not yet reaped by its new parent) does not count.
pid_running() {
	local state
	state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[[ -n $state && $state != Z* ]]
}

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

# Sets PICKED_PORT (not printed: the reservation must stay in this shell, not a $(...) subshell).
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
			PICKED_PORT=$port
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
	pick_free_port
	port=$PICKED_PORT
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
	# no app containers on such a host: activity is recorded, nothing is started or stopped
	local extra=("GATEHOUSE_ADMIN_LIFECYCLE_RUNTIME=${GATEHOUSE_ADMIN_LIFECYCLE_RUNTIME:-none}")
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
	printf "(processes that did start keep running: '%s status', '%s down')\n" "$SELF" "$SELF" >&2
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
			pid_running "$pid" || break
			sleep 0.5
		done
		if pid_running "$pid"; then
			log "$name did not stop within 20s: killing it"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -f "$(pid_file "$name")" "$(port_file "$name")"
}

# --- the proxy: nginx in Traefik's place ---------------------------------------------------------
#
# One nginx (master + 1 worker) owned by this script, with its own config, pid, logs and temp files
# under $NGINX_DIR and $LOG_DIR: never the system nginx or /etc/nginx. It does what Traefik's
# gatehouse-forward-auth middleware does in docker-compose.yml, plus what Traefik's load balancer
# over the replicas does (round robin, keepalive, passive health, retries on another replica).

NGINX_PACKAGES_HINT="apt-get install nginx-light libnginx-mod-http-lua (or nginx libnginx-mod-http-lua)"

nginx_bin() {
	if have nginx; then
		command -v nginx
	elif [[ -x /usr/sbin/nginx ]]; then
		printf '/usr/sbin/nginx'
	fi
}

# The directory that holds both the NDK and the Lua module of the installed nginx.
nginx_module_dir() {
	local dir
	for dir in /usr/lib/nginx/modules /usr/share/nginx/modules; do
		if [[ -f $dir/ndk_http_module.so && -f $dir/ngx_http_lua_module.so ]]; then
			printf '%s' "$dir"
			return 0
		fi
	done
	return 1
}

nginx_installed() {
	[[ -n $(nginx_bin) ]] && nginx_module_dir >/dev/null
}

apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$APT_LOG" 2>&1
}

apt_install_nginx() {
	if [[ -n $(nginx_bin) ]]; then
		apt_install libnginx-mod-http-lua
	else
		apt_install nginx-light libnginx-mod-http-lua || apt_install nginx libnginx-mod-http-lua
	fi
}

# Installs nginx and the Lua module from Debian's packages. The packages' maintainer scripts must not
# start the system nginx: where no policy-rc.d forbids service starts already, one does for the install.
install_nginx() {
	local guard=/usr/sbin/policy-rc.d
	APT_LOG=$LOG_DIR/apt.log
	have apt-get || die "the proxy needs nginx with the Lua module, and there is no apt-get here: $NGINX_PACKAGES_HINT"
	((EUID == 0)) || die "the proxy needs nginx with the Lua module: run as root once, or $NGINX_PACKAGES_HINT"
	log "installing nginx and its Lua module (Debian packages; output in $(rel "$APT_LOG"))"
	: >"$APT_LOG"
	if (
		if [[ ! -e $guard ]]; then
			trap 'rm -f "$guard"' EXIT
			printf '#!/bin/sh\n# written by infra/local/cluster.sh during an install: no service starts\nexit 101\n' >"$guard"
			chmod 755 "$guard"
		fi
		apt_install_nginx || { apt-get update -q >>"$APT_LOG" 2>&1 && apt_install_nginx; }
	); then
		nginx_installed || die "installed nginx, but found no ndk_http_module.so + ngx_http_lua_module.so under /usr/lib/nginx/modules or /usr/share/nginx/modules"
	else
		tail -n 20 "$APT_LOG" >&2 || true
		die "could not install nginx with the Lua module ($NGINX_PACKAGES_HINT failed; see $(rel "$APT_LOG"))"
	fi
}

ensure_nginx() {
	nginx_installed || install_nginx
}

# nginx with this cluster's config, prefix and startup error log.
nginx_cmd() {
	"$(nginx_bin)" -p "$NGINX_DIR/" -e "$LOG_DIR/proxy-error.log" -c "$NGINX_CONF" "$@"
}

proxy_pid() { [[ -f $NGINX_PID_FILE ]] && cat "$NGINX_PID_FILE"; }
proxy_port() { [[ -f $NGINX_DIR/proxy.port ]] && cat "$NGINX_DIR/proxy.port"; }
app_port() { [[ -f $NGINX_DIR/app.port ]] && cat "$NGINX_DIR/app.port"; }

# Alive means: the recorded pid is an nginx master started with this cluster's config.
proxy_alive() {
	local pid
	pid=$(proxy_pid) || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	ps -o args= -p "$pid" 2>/dev/null | grep -q -F -e "nginx: master process" &&
		ps -o args= -p "$pid" 2>/dev/null | grep -q -F -e "$NGINX_CONF"
}

# HTTP status of the proxy's own config-id endpoint, or 000.
proxy_code() {
	curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/_gatehouse/config-id" || true
}

# An nginx worker whose master is gone (another cluster's workers have theirs).
orphan_worker() {
	local parent
	ps -o args= -p "$1" 2>/dev/null | grep -q '^nginx: worker process' || return 1
	parent=$(ps -o ppid= -p "$1" 2>/dev/null | tr -d ' ')
	[[ -n $parent && $(ps -o comm= -p "$parent" 2>/dev/null) != nginx ]]
}

# Workers left behind by a master that was killed (kill -9) still hold this cluster's ports: they
# are found by those ports and stopped, so the proxy can start again.
stop_orphan_workers() {
	local port pid pids=()
	have ss || return 0
	for port in $(proxy_port) $(app_port); do
		while read -r pid; do
			if [[ -n $pid && " ${pids[*]} " != *" $pid "* ]] && orphan_worker "$pid"; then
				pids+=("$pid")
			fi
		done < <(ss -Htlnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u)
	done
	((${#pids[@]} > 0)) || return 0
	log "stopping nginx processes left on the proxy's ports (pids ${pids[*]})"
	kill -QUIT "${pids[@]}" 2>/dev/null || true
	sleep 1
	for pid in "${pids[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
}

# Replicas that run and answer 200 on readiness: the only ones the proxy gets.
ready_replicas() {
	local name
	for name in $(running_replicas); do
		if [[ $(readiness_code "$(read_port "$name")") == 200 ]]; then
			echo "$name"
		else
			log "$name is not ready: left out of the proxy"
		fi
	done
	return 0
}

# The port the proxy had (PROXY_URL stays the same) while it is free, else a new one.
proxy_port_for() {
	local file=$NGINX_DIR/$1.port port
	port=$(cat "$file" 2>/dev/null || true)
	if [[ $port =~ ^[0-9]+$ ]] && ! port_taken "$port"; then
		RESERVED_PORTS+="$port "
	else
		pick_free_port
		port=$PICKED_PORT
	fi
	echo "$port" >"$file"
}

# nginx_config CONFIG_ID REPLICA...: prints the whole nginx.conf.
nginx_config() {
	local config_id=$1 name servers="" zone_regex module_dir proxy app config nl=$'\n'
	shift
	for name in "$@"; do
		servers+="        server 127.0.0.1:$(read_port "$name") max_fails=1 fail_timeout=2s; # $name$nl"
	done
	if [[ -z $servers ]]; then
		servers=$'        server 127.0.0.1:9 down; # no replica is ready: every auth request fails (500)\n'
	fi
	zone_regex=${APP_ZONE//./\\.}
	module_dir=$(nginx_module_dir)
	proxy=$(proxy_port)
	app=$(app_port)
	config=$(nginx_config_template)
	# quoted replacements: bash 5.2 would otherwise read & in them as the matched text
	config=${config//@@CONFIG_ID@@/"$config_id"}
	config=${config//@@MODULE_DIR@@/"$module_dir"}
	config=${config//@@NGINX_DIR@@/"$NGINX_DIR"}
	config=${config//@@LOG_DIR@@/"$LOG_DIR"}
	config=${config//@@PROXY_PORT@@/"$proxy"}
	config=${config//@@APP_PORT@@/"$app"}
	config=${config//@@APP_ZONE_REGEX@@/"$zone_regex"}
	config=${config//@@APP_ZONE@@/"$APP_ZONE"}
	config=${config//"@@AUTH_SERVERS@@$nl"/"$servers"}
	printf '%s\n' "$config"
}

# The config without its config-id line: what decides whether a reload is needed.
config_body() { grep -v -F '/_gatehouse/config-id' "$1" 2>/dev/null || true; }

# write_nginx_config REPLICA...: writes and checks a new nginx.conf; prints its config id, or
# nothing when the running config is the same already.
write_nginx_config() {
	local id new=$NGINX_CONF.new output
	id=$(date +%s%N)-$RANDOM
	mkdir -p "$NGINX_DIR/tmp"
	nginx_config "$id" "$@" >"$new"
	if [[ -f $NGINX_CONF ]] && proxy_alive && [[ $(config_body "$new") == "$(config_body "$NGINX_CONF")" ]]; then
		rm -f "$new"
		return 0
	fi
	if ! output=$("$(nginx_bin)" -p "$NGINX_DIR/" -e "$LOG_DIR/proxy-error.log" -c "$new" -t -q 2>&1); then
		die "the generated nginx config $(rel "$new") is invalid: $output"
	fi
	mv -f "$new" "$NGINX_CONF"
	printf '%s' "$id"
}

# Waits until the proxy answers with the given config id (a reload is done when it does).
wait_proxy_config() {
	local id=$1 i
	for ((i = 0; i < 100; i++)); do
		if [[ $(curl -s -m 1 "http://127.0.0.1:$(proxy_port)/_gatehouse/config-id" || true) == "$id" ]]; then
			return 0
		fi
		sleep 0.1
	done
	tail -n 20 "$LOG_DIR/proxy-error.log" >&2 || true
	die "the proxy did not answer with its new config within 10s (log: $(rel "$LOG_DIR/proxy-error.log"))"
}

start_proxy() {
	local id
	mkdir -p "$NGINX_DIR/tmp"
	stop_orphan_workers
	rm -f "$NGINX_PID_FILE"
	proxy_port_for proxy
	proxy_port_for app
	id=$(write_nginx_config "$@")
	log "starting the proxy (nginx) on port $(proxy_port), demo app on port $(app_port), auth upstream: ${*:-none}"
	nginx_cmd || die "nginx did not start; see $(rel "$LOG_DIR/proxy-error.log")"
	wait_proxy_config "$id"
}

# reload_proxy REPLICA...: points the proxy's auth upstream at exactly these replicas.
reload_proxy() {
	local id
	id=$(write_nginx_config "$@")
	[[ -n $id ]] || return 0
	log "reloading the proxy: auth upstream ${*:-none}"
	nginx_cmd -s reload || die "nginx -s reload failed; see $(rel "$LOG_DIR/proxy-error.log")"
	wait_proxy_config "$id"
}

# Starts the proxy if it is not running, else reloads it when its upstream list changed.
sync_proxy() {
	local names=()
	mapfile -t names < <(ready_replicas)
	if proxy_alive; then
		reload_proxy "${names[@]}"
	else
		ensure_nginx
		start_proxy "${names[@]}"
	fi
}

stop_proxy() {
	local pid i
	if proxy_alive; then
		pid=$(proxy_pid)
		log "stopping the proxy (nginx, pid $pid)"
		kill -QUIT "$pid" 2>/dev/null || true
		for ((i = 0; i < 40; i++)); do
			pid_running "$pid" || break
			sleep 0.25
		done
		if pid_running "$pid"; then
			log "the proxy did not stop within 10s: killing it"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	stop_orphan_workers
	rm -f "$NGINX_PID_FILE" "$NGINX_DIR/proxy.port" "$NGINX_DIR/app.port"
}

# The nginx.conf template; @@NAME@@ are filled in by nginx_config.
nginx_config_template() {
	cat <<'EOF'
# Generated by infra/local/cluster.sh (up and scale rewrite it): the local stand-in for Traefik with
# the gatehouse-forward-auth middleware of infra/traefik/dynamic.yml. Do not edit.
load_module @@MODULE_DIR@@/ndk_http_module.so;
load_module @@MODULE_DIR@@/ngx_http_lua_module.so;

daemon on;
master_process on;
worker_processes 1;
worker_shutdown_timeout 10s;
pid @@NGINX_DIR@@/nginx.pid;
error_log @@LOG_DIR@@/proxy-error.log notice;

events {
    worker_connections 1024;
}

http {
    log_format gatehouse '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                         'host=$http_host rt=$request_time';
    access_log @@LOG_DIR@@/proxy-access.log gatehouse;

    client_body_temp_path @@NGINX_DIR@@/tmp/client_body;
    proxy_temp_path @@NGINX_DIR@@/tmp/proxy;
    fastcgi_temp_path @@NGINX_DIR@@/tmp/fastcgi;
    uwsgi_temp_path @@NGINX_DIR@@/tmp/uwsgi;
    scgi_temp_path @@NGINX_DIR@@/tmp/scgi;

    server_tokens off;
    default_type application/octet-stream;
    client_max_body_size 0;
    keepalive_timeout 60s;

    # Every ready auth-service replica; round robin, a replica that fails once sits out 2 s.
    upstream gatehouse-auth {
@@AUTH_SERVERS@@
        keepalive 32;
    }

    upstream gatehouse-demo-app {
        server 127.0.0.1:@@APP_PORT@@;
        keepalive 8;
    }

    # Hosts that are no app: what Traefik answers when no router matches.
    server {
        listen 127.0.0.1:@@PROXY_PORT@@ default_server;
        server_name _;

        # lets cluster.sh see that a start or a reload took effect
        location = /_gatehouse/config-id { default_type text/plain; return 200 "@@CONFIG_ID@@"; }

        location / {
            default_type text/plain;
            return 404 "404 page not found\n";
        }
    }

    # <app>.@@APP_ZONE@@[:port]: forwardAuth, then the app (here always the demo app).
    server {
        listen 127.0.0.1:@@PROXY_PORT@@;
        server_name "~^[^.]+\.@@APP_ZONE_REGEX@@$";

        # The forwardAuth request: GET /internal/auth on a replica, without the client's headers
        # (authRequestHeaders: Cookie only) and body, with X-Forwarded-* from the real request.
        location = /_gatehouse_auth {
            internal;
            proxy_pass http://gatehouse-auth/internal/auth;
            proxy_method GET;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass_request_headers off;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Forwarded-Method $gatehouse_fwd_method;
            proxy_set_header X-Forwarded-Proto $gatehouse_fwd_proto;
            proxy_set_header X-Forwarded-Host $gatehouse_fwd_host;
            proxy_set_header X-Forwarded-Uri $gatehouse_fwd_uri;
            proxy_set_header X-Forwarded-For $gatehouse_fwd_for;
            proxy_set_header Cookie $gatehouse_fwd_cookie;
            proxy_connect_timeout 1s;
            proxy_send_timeout 5s;
            proxy_read_timeout 5s;
            # A replica that cannot be reached, or answers 502/503/504 (503: it cannot load the
            # entry now), is retried on another one.
            proxy_next_upstream error timeout http_502 http_503 http_504 non_idempotent;
            proxy_next_upstream_tries 3;
            proxy_intercept_errors off;
            # nginx's own 502/504 (no replica answered): Traefik's forwardAuth answers 500, empty.
            error_page 502 504 = @gatehouse_auth_unreachable;
        }

        location @gatehouse_auth_unreachable {
            default_type "";
            return 500 "";
        }

        location / {
            # no Content-Type of nginx's own on the auth tier's answers (Traefik adds none either)
            default_type "";

            # filled in by the access phase below and handed to the auth subrequest
            set $gatehouse_fwd_method "";
            set $gatehouse_fwd_proto "";
            set $gatehouse_fwd_host "";
            set $gatehouse_fwd_uri "";
            set $gatehouse_fwd_for "";
            set $gatehouse_fwd_cookie "";

            access_by_lua_block {
                local lower, sub = string.lower, string.sub
                local function identity_header(name)
                    return lower(sub(name, 1, 6)) == "x-ptl-"
                end

                -- Clients never bring identity headers: every X-Ptl-* they sent goes (0: no limit
                -- on how many headers are looked at).
                for name in pairs(ngx.req.get_headers(0)) do
                    if identity_header(name) then
                        ngx.req.clear_header(name)
                    end
                end

                local res = ngx.location.capture("/_gatehouse_auth", {
                    method = ngx.HTTP_GET,
                    vars = {
                        gatehouse_fwd_method = ngx.req.get_method(),
                        gatehouse_fwd_proto = ngx.var.scheme,
                        gatehouse_fwd_host = ngx.var.http_host or ngx.var.host,
                        gatehouse_fwd_uri = ngx.var.request_uri,
                        gatehouse_fwd_for = ngx.var.remote_addr,
                        gatehouse_fwd_cookie = ngx.var.http_cookie or "",
                    },
                })

                if not res.truncated and res.status >= 200 and res.status < 300 then
                    -- authResponseHeadersRegex ^X-Ptl-: the auth tier's headers go to the app,
                    -- empty ones too (X-Ptl-Client-Id of an anonymous client). set_header drops
                    -- an empty value, so it gets " ": the app's parser trims it back to "".
                    for name, value in pairs(res.header) do
                        if identity_header(name) then
                            if type(value) == "table" then
                                for i = 1, #value do
                                    if value[i] == "" then value[i] = " " end
                                end
                            elseif value == "" then
                                value = " "
                            end
                            ngx.req.set_header(name, value)
                        end
                    end
                    return
                end

                -- Anything else goes back to the client as the auth tier answered it.
                local status, body = res.status, res.body or ""
                if res.truncated then
                    status, body = 500, ""
                end
                local hop_by_hop = {
                    ["connection"] = true, ["keep-alive"] = true, ["proxy-authenticate"] = true,
                    ["proxy-authorization"] = true, ["te"] = true, ["trailer"] = true,
                    ["transfer-encoding"] = true, ["upgrade"] = true, ["content-length"] = true,
                }
                ngx.status = status
                if not res.truncated then
                    for name, value in pairs(res.header) do
                        if not hop_by_hop[lower(name)] then
                            ngx.header[name] = value
                        end
                    end
                end
                ngx.header["Content-Length"] = #body
                ngx.send_headers()
                if #body > 0 then
                    ngx.print(body)
                end
                return ngx.exit(ngx.HTTP_OK)
            }

            # to the app: the client's headers (less X-Ptl-*, plus the auth tier's), and X-Forwarded-*
            # from the proxy, never the client's (as Traefik does for an untrusted client)
            proxy_pass http://gatehouse-demo-app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Port $server_port;
            proxy_set_header X-Forwarded-Method "";
            proxy_set_header X-Forwarded-Uri "";
            proxy_set_header X-Forwarded-Server "";
            proxy_set_header X-Forwarded-Prefix "";
            proxy_set_header X-Real-Ip $remote_addr;
        }
    }

    # The demo app every app host leads to: echoes the request it got as JSON.
    server {
        listen 127.0.0.1:@@APP_PORT@@;

        location / {
            content_by_lua_block {
                local headers = {}
                for name, value in pairs(ngx.req.get_headers(0)) do
                    if type(value) == "table" then
                        value = table.concat(value, ", ")
                    end
                    headers[name] = value
                end
                local echo = {
                    method = ngx.req.get_method(),
                    uri = ngx.var.request_uri,
                    host = ngx.var.http_host or "",
                    headers = headers,
                }

                local body
                local ok, cjson = pcall(require, "cjson")
                if ok then
                    pcall(cjson.encode_escape_forward_slash, false)
                    body = cjson.encode(echo)
                else
                    local function quote(s)
                        return '"' .. string.gsub(s, '[%c"\\]', function(c)
                            if c == '"' then return '\\"' end
                            if c == "\\" then return "\\\\" end
                            if c == "\n" then return "\\n" end
                            if c == "\r" then return "\\r" end
                            if c == "\t" then return "\\t" end
                            return string.format("\\u%04x", string.byte(c))
                        end) .. '"'
                    end
                    local names = {}
                    for name in pairs(headers) do
                        names[#names + 1] = name
                    end
                    table.sort(names)
                    local parts = {}
                    for i, name in ipairs(names) do
                        parts[i] = quote(name) .. ": " .. quote(headers[name])
                    end
                    body = "{" .. '"method": ' .. quote(echo.method) .. ", "
                        .. '"uri": ' .. quote(echo.uri) .. ", "
                        .. '"host": ' .. quote(echo.host) .. ", "
                        .. '"headers": {' .. table.concat(parts, ", ") .. "}}"
                end
                ngx.header["Content-Type"] = "application/json"
                ngx.say(body)
            }
        }
    }
}
EOF
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

proxy_url() {
	if proxy_alive; then
		printf 'http://127.0.0.1:%s' "$(proxy_port)"
	fi
}

# Written next to the old one and moved over it: a failure never leaves a truncated file.
write_cluster_env() {
	(
		umask 077
		cat >"$CLUSTER_ENV.new" <<EOF
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
PROXY_URL=$(proxy_url)
APP_ZONE=$APP_ZONE
EOF
	)
	mv -f "$CLUSTER_ENV.new" "$CLUSTER_ENV"
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
	APP_ZONE=$(env_value APP_ZONE)
	APP_ZONE=${APP_ZONE:-${GATEHOUSE_APP_ZONE:-localhost}}
	url=$(env_value DATABASE_URL)
	[[ -n $NAMESPACE && -n $DB_USER && -n $REDIS_HOST && -n $REDIS_PORT ]] ||
		die "$(rel "$CLUSTER_ENV") is incomplete: run '$SELF down' and '$SELF up'"
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
	if [[ -f $NGINX_DIR/proxy.port ]]; then
		any=1
		print_proxy_status
	fi
	((any)) || echo "(nothing started: run '$SELF up')"
	return 0
}

# The proxy's line: nginx master pid, proxy port, alive/dead, and where it sends requests.
print_proxy_status() {
	local pid port state ready upstream
	pid=$(proxy_pid || echo -)
	port=$(proxy_port || echo -)
	if proxy_alive; then
		state=alive
		ready=$(proxy_code "$port")
		if [[ $ready == 200 ]]; then ready="200 UP"; else ready="$ready not answering"; fi
		upstream=$(sed -n 's/^ *server 127\.0\.0\.1:\([0-9]*\) max_fails.*# \(auth-[0-9]*\)$/\2:\1/p' "$NGINX_CONF" | tr '\n' ' ' | sed 's/ $//')
		ready+=" (nginx; auth upstream: ${upstream:-none}; demo app on port $(app_port || echo -))"
	else
		state=dead ready=-
	fi
	printf '%-8s %-8s %-6s %-6s %s\n' proxy "$pid" "$port" "$state" "$ready"
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

  # through the proxy (nginx doing Traefik's forwardAuth): the demo app echoes the request it got,
  # with the X-Ptl-* headers of the auth tier (x-ptl-foo: baz, x-ptl-client-type: anonymous)
  curl -s -H "Host: demo.\$APP_ZONE" \$PROXY_URL/

  # a forged identity header never reaches the app: x-ptl-client-id stays the auth tier's (empty)
  curl -s -H "Host: demo.\$APP_ZONE" -H 'X-Ptl-Client-Id: admin' \$PROXY_URL/

  # private path without a terminal: 401 from the auth tier, straight to the client
  curl -si -H "Host: demo.\$APP_ZONE" \$PROXY_URL/private

  # pair a terminal: the admin issues a code, the terminal redeems it for a token
  CODE=\$(curl -s -X POST -H "Authorization: Bearer \$ADMIN_TOKEN" "\$ADMIN_URL/api/pairing-codes" | sed -n 's/.*"code":"\\([^"]*\\)".*/\\1/p')
  TOKEN=\$(curl -s -X POST -H 'Content-Type: application/json' -d "{\\"code\\":\\"\$CODE\\",\\"name\\":\\"laptop\\"}" "\$ADMIN_URL/api/terminals/pair" | sed -n 's/.*"token":"\\([^"]*\\)".*/\\1/p')

  # private path with the terminal cookie: 200, the app gets x-ptl-client-type: terminal, x-ptl-foo: bar laptop
  curl -s -H "Host: demo.\$APP_ZONE" -H "Cookie: authorization=Bearer%20\$TOKEN" \$PROXY_URL/private

  # an unknown app: 404; an ambiguous path: 400
  curl -si -H "Host: nope.\$APP_ZONE" \$PROXY_URL/
  curl -si -H "Host: demo.\$APP_ZONE" \$PROXY_URL/a%2fb

  # the auth tier directly, as the proxy asks it
  curl -si -H "X-Forwarded-Host: demo.\$APP_ZONE" -H 'X-Forwarded-Uri: /private' -H "Cookie: authorization=Bearer%20\$TOKEN" "\$AUTH/internal/auth"

  $SELF status | scale N | logs [name] | down
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
	count=$(parse_count "${wanted:-3}" 1)
	mkdir -p "$LOG_DIR" "$PID_DIR"
	if any_alive; then
		load_cluster_env
	fi
	running=$(running_replicas | wc -l)
	known=$(known_processes | grep -c '^auth-' || true)
	highest=$(known_processes | sed -n 's/^auth-//p' | tail -n 1)
	if is_alive admin && [[ -f $CLUSTER_ENV ]] && ((running > 0 && running == known)); then
		if [[ -z $wanted || $running -eq $count ]]; then
			validate_settings
			ensure_secrets
			# the proxy comes back if it died, and follows the replicas if its list is stale
			sync_proxy
			write_cluster_env
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
	ensure_services
	ensure_jars
	ensure_database
	ensure_secrets
	ensure_nginx

	if ! is_alive admin; then
		stop_process admin # clears stale files
		start_admin
	fi
	wait_ready admin
	start_replicas "$count"
	seed_demo_data
	# the proxy last, with the replicas that are ready
	sync_proxy
	write_cluster_env
	print_summary
}

cmd_scale() {
	local count name stay=()
	[[ $# -eq 1 ]] || die "usage: $SELF scale N"
	count=$(parse_count "$1" 0)
	is_alive admin || die "the cluster is not up: run '$SELF up' first"
	load_cluster_env
	validate_settings
	ensure_secrets
	# replicas that go away leave the proxy before they stop
	if proxy_alive && [[ -n $(running_replicas | awk -F- -v n="$count" '$2 > n') ]]; then
		for name in $(ready_replicas); do
			((${name#auth-} > count)) || stay+=("$name")
		done
		reload_proxy "${stay[@]}"
	fi
	for name in $(known_processes); do
		if [[ $name == auth-* ]] && ((${name#auth-} > count)); then
			stop_process "$name"
		fi
	done
	start_replicas "$count"
	# new replicas join the proxy once they are ready (start_replicas waited for that)
	sync_proxy
	write_cluster_env
	echo "Now running $count auth replica(s)."
	print_status
	print_env
}

cmd_down() {
	local names=() name i stopped=0
	mapfile -t names < <(known_processes)
	# the proxy first: no request reaches a replica that is stopping
	if proxy_alive || [[ -f $NGINX_DIR/proxy.port ]]; then
		stop_proxy
		stopped=1
	fi
	if ((${#names[@]} == 0)); then
		rm -f "$CLUSTER_ENV"
		((stopped)) && echo "Stopped." || echo "Nothing is running."
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
	sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
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
