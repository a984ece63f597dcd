#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on their default loopback ports, for the local cluster and the
# tests: installs them from Debian's packages when absent, starts them when down, and keeps a local
# PostgreSQL superuser for Gatehouse whose password lives outside the work tree. Prints the settings as
# shell assignments, so callers do:
#
#   eval "$(infra/local/services.sh)"   # sets GATEHOUSE_PG_USER and GATEHOUSE_PG_PASSWORD
#
# Installing and creating the superuser need root (apt-get, peer authentication as 'postgres'). Progress
# goes to stderr; the password file is $GATEHOUSE_STATE_DIR/postgres-password (default
# ~/.local/state/gatehouse), created once with a random password.
set -euo pipefail

PG_PORT=5432
REDIS_PORT=6379
PG_USER=gatehouse
STATE_DIR=${GATEHOUSE_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/gatehouse}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
	local port=$1 what=$2 i
	for ((i = 0; i < 30; i++)); do
		answers "$port" && return 0
		sleep 1
	done
	die "$what is not answering on 127.0.0.1:$port"
}

apt_updated=0
install() {
	have apt-get && ((EUID == 0)) || die "$* missing: install it (Debian: apt-get install -y $*), or run this as root"
	if ((apt_updated == 0)); then
		log "apt-get update"
		apt-get update -qq >&2
		apt_updated=1
	fi
	log "installing $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

ensure_postgres() {
	answers "$PG_PORT" && return 0
	have pg_ctlcluster && [[ -n $(ls /etc/postgresql 2>/dev/null) ]] || install postgresql
	local version
	version=$(ls /etc/postgresql | sort -V | tail -n 1)
	log "starting PostgreSQL $version"
	pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
	wait_for "$PG_PORT" PostgreSQL
}

ensure_redis() {
	answers "$REDIS_PORT" && return 0
	have redis-server || install redis-server
	log "starting Redis"
	mkdir -p /var/lib/redis /var/log/redis
	redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
		--dir /var/lib/redis --logfile /var/log/redis/gatehouse.log >&2
	wait_for "$REDIS_PORT" Redis
}

# The superuser the tests and the local cluster log in as over TCP (Debian's PostgreSQL asks for a
# password there). Its password is set on every run, so a lost or new state directory just rotates it.
ensure_superuser() {
	local file=$STATE_DIR/postgres-password password
	mkdir -p "$STATE_DIR"
	if [[ ! -s $file ]]; then
		(umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$file")
	fi
	password=$(cat "$file")
	if ((EUID == 0)) && have runuser; then
		runuser -u postgres -- psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -d postgres >&2 <<-SQL
			select set_config('gatehouse.password', '$password', false);
			do \$\$ begin
			  if not exists (select 1 from pg_roles where rolname = '$PG_USER') then
			    execute format('create role %I login superuser password %L', '$PG_USER', current_setting('gatehouse.password'));
			  else
			    execute format('alter role %I login superuser password %L', '$PG_USER', current_setting('gatehouse.password'));
			  end if;
			end \$\$;
		SQL
	fi
	printf 'GATEHOUSE_PG_USER=%q\nGATEHOUSE_PG_PASSWORD=%q\n' "$PG_USER" "$password"
}

ensure_postgres
ensure_redis
ensure_superuser
