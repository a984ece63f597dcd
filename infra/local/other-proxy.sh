#!/usr/bin/env bash
# The other proxies' examples (infra/nginx/gatehouse.conf, infra/caddy/Caddyfile) in front of a running
# local cluster (infra/local/cluster.sh up): same replicas, same demo app.
#
#   infra/local/other-proxy.sh nginx|caddy up     start it on a free port; prints its URL
#   infra/local/other-proxy.sh nginx|caddy down   stop it
#
# Uses GATEHOUSE_RUN_DIR like cluster.sh. Installs Debian's nginx or caddy when missing (as root).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
RUN_DIR=${GATEHOUSE_RUN_DIR:-$SCRIPT_DIR/run}
PROXY=${1:-} COMMAND=${2:-}
STATE_DIR=$RUN_DIR/$PROXY LOG_DIR=$RUN_DIR/logs PID_FILE=$RUN_DIR/pids/$PROXY.pid PORT_FILE=$RUN_DIR/pids/$PROXY.port

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
[[ $PROXY == nginx || $PROXY == caddy ]] && [[ $COMMAND == up || $COMMAND == down ]] ||
	die "usage: $0 nginx|caddy up|down"

alive() { [[ -f $PID_FILE ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

stop() {
	if alive; then kill -TERM "$(cat "$PID_FILE")"; fi
	rm -f "$PID_FILE"
}

install() {
	command -v "$PROXY" >/dev/null && return 0
	[[ $EUID -eq 0 ]] && command -v apt-get >/dev/null || die "$PROXY is missing: apt-get install $PROXY"
	local guard=/usr/sbin/policy-rc.d
	(
		# the package must not start a system-wide service: forbid service starts unless already forbidden
		if [[ ! -e $guard ]]; then
			trap 'rm -f "$guard"' EXIT
			printf '#!/bin/sh\nexit 101\n' >"$guard" && chmod 755 "$guard"
		fi
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$PROXY" >&2 ||
			{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$PROXY" >&2; }
	)
}

# fill TEMPLATE NAME=VALUE...: the template with every @NAME@ replaced.
fill() {
	local text assignment
	text=$(<"$1") && shift
	for assignment in "$@"; do text=${text//"@${assignment%%=*}@"/"${assignment#*=}"}; done
	printf '%s\n' "$text"
}

up() {
	local port servers="" upstreams="" url zone
	port=$(cat "$PORT_FILE" 2>/dev/null || echo 0)
	while ((port < 20000 || port >= 32000)) || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
		port=$((20000 + RANDOM % 12000)) # below the kernel's ephemeral ports
	done
	[[ -f $RUN_DIR/cluster.env ]] || die "no cluster in $RUN_DIR: run infra/local/cluster.sh up first"
	zone=$(sed -n 's/^APP_ZONE=//p' "$RUN_DIR/cluster.env")
	for url in $(sed -n 's/^AUTH_URLS="\(.*\)"$/\1/p' "$RUN_DIR/cluster.env"); do
		servers+="server ${url#http://} max_fails=1 fail_timeout=2s; "
		upstreams+="${url#http://} "
	done
	install
	stop
	mkdir -p "$STATE_DIR/tmp" "$LOG_DIR"
	local values=("PORT=$port" "APP_PORT=$(cat "$RUN_DIR/pids/demo-app.port")" "ZONE=$zone" "ZONE_REGEX=${zone//./\\.}"
		"AUTH_SERVERS=$servers" "AUTH_UPSTREAMS=$upstreams" "STATE_DIR=$STATE_DIR" "LOG_DIR=$LOG_DIR")
	if [[ $PROXY == nginx ]]; then
		fill "$REPO_ROOT/infra/nginx/gatehouse.conf" "${values[@]}" >"$STATE_DIR/nginx.conf"
		nginx -p "$STATE_DIR" -e "$LOG_DIR/nginx-error.log" -c "$STATE_DIR/nginx.conf" -g 'daemon off;' \
			>>"$LOG_DIR/nginx.log" 2>&1 </dev/null &
	else
		fill "$REPO_ROOT/infra/caddy/Caddyfile" "${values[@]}" >"$STATE_DIR/Caddyfile"
		# its autosave and storage stay in the run directory
		XDG_CONFIG_HOME=$STATE_DIR XDG_DATA_HOME=$STATE_DIR caddy run --adapter caddyfile --config "$STATE_DIR/Caddyfile" >>"$LOG_DIR/caddy.log" 2>&1 </dev/null &
	fi
	echo $! >"$PID_FILE"
	echo "$port" >"$PORT_FILE"
	for _ in {1..50}; do
		alive || die "$PROXY exited; see $LOG_DIR/$PROXY.log"
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { echo "http://127.0.0.1:$port"; return 0; }
		sleep 0.1
	done
	die "$PROXY does not listen on $port; see $LOG_DIR/$PROXY.log"
}

if [[ $COMMAND == up ]]; then up; else stop; fi
