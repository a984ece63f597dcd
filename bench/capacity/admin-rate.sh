#!/usr/bin/env bash
# The change rate one admin sustains: wrk PUTs apps (admin-put.lua) for DURATION s at 1, 4 and 16
# connections; every PUT takes the change_counter row lock, so writers queue on it. Reports req/s, latency,
# the CPU of the admin, PostgreSQL (all backends) and Redis per change, and how long each transaction held
# the lock (pg_stat_statements is not loaded: the lock is held from the `for update` to the commit, which
# pg-per-change.sh shows as 4 round trips and a WAL flush; here: 1 / (req/s at 1 connection) bounds it).
# Usage: GATEHOUSE_RUN_DIR=... flock /tmp/bench.lock bench/capacity/admin-rate.sh [DURATION]   (default 10)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DURATION=${1:-10}
HZ=$(getconf CLK_TCK)
export ADMIN_TOKEN APP_BODY
pg_ticks() { for p in $(pgrep -x postgres; pgrep -f '^postgres: '); do cpu_ticks "$p" 2>/dev/null; done | awk '{ s += $1 } END { print s }'; }

echo "## Admin change rate ($(date -u +%FT%TZ), ${DURATION} s per row, wrk 1 thread)"
echo
# warm-up: JIT, the pool, the 1,000 rows
wrk -t1 -c4 -d5s -s "$CAP_DIR/admin-put.lua" "$ADMIN_URL" >/dev/null
# sample_locks FILE: while wrk runs, the admin's backends waiting on a lock / running / idle in transaction
sample_locks() {
	while :; do
		db -Atc "select count(*) filter (where state = 'active' and wait_event_type = 'Lock'),
		                count(*) filter (where state = 'active' and wait_event_type is distinct from 'Lock'),
		                count(*) filter (where state like 'idle in transaction%')
		         from pg_stat_activity where datname = '$DB_NAME' and usename = '$DATABASE_USER' and pid <> pg_backend_pid()"
		sleep 0.02
	done >"$1"
}
echo "| connections | changes/s | p50 | p99 | admin CPU per change | PostgreSQL CPU per change | Redis CPU per change | admin backends: waiting on a lock / running / idle in transaction (mean of samples) | errors |"
echo "|---|---|---|---|---|---|---|---|---|"
for c in 1 4 16; do
	seq0=$(db -Atc "select seq from change_counter")
	a0=$(cpu_ticks "$(pid_of admin)") p0=$(pg_ticks) r0=$(redis_cpu)
	samples=$(mktemp); sample_locks "$samples" & sampler=$!
	out=$(wrk -t1 -c"$c" -d"${DURATION}s" --latency -s "$CAP_DIR/admin-put.lua" "$ADMIN_URL")
	a1=$(cpu_ticks "$(pid_of admin)") p1=$(pg_ticks) r1=$(redis_cpu)
	kill "$sampler"; wait "$sampler" 2>/dev/null || true
	locks=$(awk -F'|' 'NF == 3 { w += $1; r += $2; i += $3; n++ } END { printf "%.1f / %.1f / %.1f (%d)", w / n, r / n, i / n, n }' "$samples"); rm -f "$samples"
	seq1=$(db -Atc "select seq from change_counter")
	changes=$((seq1 - seq0))
	p50=$(awk '$1 == "50%" { print $2 }' <<<"$out") p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
	echo "| $c | $(awk -v n="$changes" -v d="$DURATION" 'BEGIN { printf "%.0f", n / d }') | $p50 | $p99 |" \
		"$(awk -v a="$a0" -v b="$a1" -v hz="$HZ" -v n="$changes" 'BEGIN { printf "%.2f ms", (b - a) / hz * 1000 / n }') |" \
		"$(awk -v a="$p0" -v b="$p1" -v hz="$HZ" -v n="$changes" 'BEGIN { printf "%.2f ms", (b - a) / hz * 1000 / n }') |" \
		"$(awk -v a="$r0" -v b="$r1" -v n="$changes" 'BEGIN { printf "%.0f µs", (b - a) * 1e6 / n }') |" \
		"$locks |" \
		"$(grep -o 'non2xx=[0-9]* errors=[0-9]*' <<<"$out") |"
done
