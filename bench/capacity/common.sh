# shellcheck shell=bash
# Sourced by the bench/capacity scripts: the cluster's settings, psql and redis-cli helpers.
# GATEHOUSE_RUN_DIR names the cluster (default infra/local/run), as for infra/local/cluster.sh.
set -euo pipefail
CAP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$CAP_DIR/../.." && pwd)
RUN_DIR=${GATEHOUSE_RUN_DIR:-$ROOT/infra/local/run}
[[ -f $RUN_DIR/cluster.env ]] || { echo "no cluster in $RUN_DIR: run infra/local/cluster.sh up first" >&2; exit 1; }
# shellcheck disable=SC1091
source "$RUN_DIR/cluster.env"
# the admin's port from its pid directory: cluster.env is rewritten by every `up`
[[ ! -f $RUN_DIR/pids/admin.port ]] || ADMIN_URL=http://127.0.0.1:$(cat "$RUN_DIR/pids/admin.port")
DB_NAME=${DATABASE_URL##*/}
export PGPASSWORD=$DATABASE_PASSWORD
db() { psql -h 127.0.0.1 -U "$DATABASE_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -X -q "$@"; }
rc() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"; }
admin() { # admin METHOD PATH [BODY]
	curl -sf -X "$1" -H "Authorization: Bearer $ADMIN_TOKEN" ${3:+-H 'Content-Type: application/json' --data "$3"} "$ADMIN_URL$2"
}
pid_of() { cat "$RUN_DIR/pids/$1.pid"; }
# CPU time (user + system) of a process in clock ticks (USER_HZ, 100 per second)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
redis_cpu() { rc info cpu | awk -F: '/^used_cpu_(sys|user):/ { s += $2 } END { printf "%.3f", s }'; }
export APP_BODY='{"paths": {"/": {"access": "public", "headers": {"X-Ptl-Foo": "baz"}}, "/private": {"access": "private", "headers": {"X-Ptl-Foo": "bar {{ auth.client_name }}"}}}, "lifecycle": {"always_on": false, "idle_for_stop": 600}}'
