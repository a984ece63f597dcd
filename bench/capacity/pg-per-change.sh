#!/usr/bin/env bash
# PostgreSQL (and Redis) work of one admin change, measured on a running local cluster:
#   - the statements the admin sends for one app PUT (update and create) and one terminal revoke, from
#     PostgreSQL's log (log_min_duration_statement = 0 for the admin's role in this database only; the
#     admin is restarted once so its pooled connections pick the setting up);
#   - the round trips: write(2) calls of the admin JVM on its PostgreSQL sockets (strace) during the request;
#   - WAL bytes per change: pg_current_wal_lsn() around 200 app PUTs (WAL is instance-wide: run it while
#     nothing else writes, and read the minimum of the rounds);
#   - Redis commands per change: INFO commandstats around the same 200 PUTs (instance-wide too).
# Usage: GATEHOUSE_RUN_DIR=... GATEHOUSE_DB=... GATEHOUSE_NAMESPACE=... bench/capacity/pg-per-change.sh
# (the same settings as the cluster's `cluster.sh up`; needs root or ptrace rights for strace).
# Leaves the setting reset and the admin restarted without it.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PG_LOG=${PG_LOG:-/var/log/postgresql/postgresql-15-main.log}
ROUNDS=${ROUNDS:-3} BATCH=${BATCH:-200}
export PGOPTIONS='-c log_min_duration_statement=-1' # not this script's own statements

restart_admin() {
	local pid; pid=$(pid_of admin)
	kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
	"$ROOT/infra/local/cluster.sh" up >"$RUN_DIR/capacity-restart.log" 2>&1 ||
		{ echo "cluster.sh up failed: $RUN_DIR/capacity-restart.log" >&2; return 1; }
	source "$RUN_DIR/cluster.env"
}
log_on() { db -c "alter role \"$DATABASE_USER\" in database \"$DB_NAME\" set log_min_duration_statement = 0"; restart_admin; }
log_off() { db -c "alter role \"$DATABASE_USER\" in database \"$DB_NAME\" reset log_min_duration_statement"; restart_admin; }

# the admin's sockets to PostgreSQL, as strace prints them (fd numbers)
pg_fds() { ss -tnp "dst 127.0.0.1:5432" | grep -o "pid=$(pid_of admin),fd=[0-9]*" | cut -d= -f3 | paste -sd '|'; }

# one OPERATION (a shell command) with its log lines and round trips
measure() {
	local name=$1; shift
	local trace; trace=$(mktemp)
	strace -f -qq -ttt -e trace=write,sendto -e signal=none -o "$trace" -p "$(pid_of admin)" & local st=$!
	sleep 2 # attach to every thread
	local offset; offset=$(stat -c %s "$PG_LOG")
	local before; before=$(date +%s.%N)
	"$@" >/dev/null
	local after; after=$(date +%s.%N)
	sleep 0.5; kill "$st"; wait "$st" 2>/dev/null || true
	local fds; fds=$(pg_fds)
	echo "### $name"
	echo
	echo '```'
	tail -c +"$((offset + 1))" "$PG_LOG" | grep "$DATABASE_USER@$DB_NAME" | grep -E 'duration: .* (execute|statement)' |
		grep -v 'select seq from change_counter where id = 1$' | sed -E 's/^.*duration: ([0-9.]+ ms) +/\1  /' || true
	echo '```'
	echo
	# writes on the PostgreSQL sockets while the request ran (a heartbeat's one write may fall in the window)
	echo "round trips (admin write(2) calls on PostgreSQL sockets during the request): $(awk -v a="$before" -v b="$after" \
		'$2 >= a && $2 <= b' "$trace" | grep -cE "^[0-9]+ +[0-9.]+ (write|sendto)\(($fds)," || true)"
	echo "request time: $(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.1f ms", (b - a) * 1000 }') (curl, strace attached)"
	echo
	rm -f "$trace"
}

# per_change N [by-command]: Redis calls between the two commandstats snapshots, divided by N
per_change() {
	awk -F'[:=,]' -v n="$1" -v by="${2:-}" '
		FNR == 1 { file++ } /^cmdstat_/ { c[$1, file] = $3; names[$1] }
		END { for (k in names) { d = c[k, 2] - c[k, 1]; t += d; if (by && d) printf "%s %.2f\n", substr(k, 9), d / n }
		      if (!by) printf "%.2f", t / n }' /tmp/cap-cmdstats.0 /tmp/cap-cmdstats.1
}

pair() { # a fresh terminal; prints its id
	local code; code=$(admin POST /api/pairing-codes | sed -E 's/.*"code":"([0-9]+)".*/\1/')
	curl -sf -H 'Content-Type: application/json' --data "{\"code\": \"$code\", \"name\": \"capacity\"}" "$ADMIN_URL/api/terminals/pair" |
		grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4
}

echo "## PostgreSQL work per admin change ($(date -u +%FT%TZ))"
echo
log_on
trap log_off EXIT
# warm-up: JIT, pgjdbc's server-side prepared statements (after 5 uses), the pool's connections
for i in $(seq 1 20); do admin PUT /api/apps/cap-warm "$APP_BODY" >/dev/null; done
for i in 1 2 3; do admin DELETE "/api/terminals/$(pair)"; done
measure "PUT /api/apps/cap-warm (existing app: update)" admin PUT /api/apps/cap-warm "$APP_BODY"
measure "PUT /api/apps/cap-new-$$ (new app: insert)" admin PUT "/api/apps/cap-new-$$" "$APP_BODY"
TERMINAL=$(pair)
measure "DELETE /api/terminals/{id} (revoke)" admin DELETE "/api/terminals/$TERMINAL"

echo "### WAL and Redis commands per app PUT ($BATCH PUTs of existing apps per round)"
echo
echo "| round | WAL bytes per change | Redis commands per change (instance-wide) |"
echo "|---|---|---|"
for r in $(seq 1 "$ROUNDS"); do
	lsn0=$(db -Atc "select pg_current_wal_lsn()")
	rc info commandstats >/tmp/cap-cmdstats.0
	for i in $(seq 1 "$BATCH"); do admin PUT "/api/apps/cap-wal-$((i % 20))" "$APP_BODY" >/dev/null; done
	lsn1=$(db -Atc "select pg_current_wal_lsn()")
	rc info commandstats >/tmp/cap-cmdstats.1
	echo "| $r | $(db -Atc "select round(pg_wal_lsn_diff('$lsn1', '$lsn0') / $BATCH)") | $(per_change "$BATCH") |"
done
echo
echo "Redis calls in the last round, per change, by command (instance-wide; includes the admin's heartbeats and INFO):"
echo
per_change "$BATCH" by-command | sed 's/^/    /'
