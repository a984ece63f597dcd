#!/usr/bin/env bash
# The cost of a replica's catch-up query (JdbcChangeLogReader: the head and up to 1,000 changes after
# `applied`, in one statement) and of the admin's re-tombstoning query (ChangeLog.committedWithin: the
# changes of the last hour, at start-up and at every new Redis epoch), on change logs of 100,000,
# 1,000,000 and 10,000,000 rows. Uses a scratch database (capbench_changelog, dropped at the end) with the
# two tables as V1__schema.sql creates them; keys half app names, half terminal UUIDs; one change every
# 3 s back from now (10,000,000 rows: about a year). pgbench, 1 client, prepared statements, 5 s per row.
# Usage: GATEHOUSE_RUN_DIR=... flock /tmp/bench.lock bench/capacity/catchup-cost.sh [SIZES]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SIZES=${1:-100000 1000000 10000000}
SCRATCH=capbench_changelog
sdb() { psql -h 127.0.0.1 -U "$DATABASE_USER" -d "$SCRATCH" -v ON_ERROR_STOP=1 -X -q "$@"; }
bench() { # bench NAME SQL-FILE [-D ...]: "tps latency"
	local file=$2; shift 2
	pgbench -h 127.0.0.1 -U "$DATABASE_USER" -n -M prepared -c 1 -T 5 -f "$file" "$@" "$SCRATCH" 2>/dev/null |
		awk '/latency average/ { l = $4 } /^tps/ { t = $3 } END { printf "%.3f ms (%.0f/s)", l, t }'
}
CATCHUP=$(mktemp --suffix=.sql) RETOMB=$(mktemp --suffix=.sql)
cat >"$CATCHUP" <<'SQL'
select c.seq as head, l.seq, l.kind, l.key
from change_counter c
left join (select seq, kind, key from change_log where seq > :applied order by seq limit 1000) l on true
where c.id = 1 order by l.seq;
SQL
cat >"$RETOMB" <<'SQL'
select seq, kind, key from change_log where committed_at > clock_timestamp() - make_interval(secs => 3600) order by seq;
SQL
psql -h 127.0.0.1 -U "$DATABASE_USER" -d postgres -X -q -c "drop database if exists $SCRATCH" -c "create database $SCRATCH"
trap 'psql -h 127.0.0.1 -U "$DATABASE_USER" -d postgres -X -q -c "drop database if exists $SCRATCH"; rm -f "$CATCHUP" "$RETOMB"' EXIT
sdb <<'SQL'
create table change_counter (id smallint primary key check (id = 1), seq bigint not null);
insert into change_counter values (1, 0);
create table change_log (seq bigint primary key, kind text not null, key text not null,
                         committed_at timestamptz not null default clock_timestamp());
SQL
echo "## Catch-up and re-tombstoning queries by change-log size ($(date -u +%FT%TZ))"
echo
echo "| change_log rows | table + index size | per row | catch-up, 1 change behind | catch-up, a full page (1,000) behind | catch-up from 0 (first page) | re-tombstone the last hour (1,200 rows; no index on committed_at: a full scan) |"
echo "|---|---|---|---|---|---|---|"
have=0
for size in $SIZES; do
	sdb -c "truncate change_log" -c "insert into change_log (seq, kind, key, committed_at)
	        select g, case when g % 2 = 0 then 'app' else 'terminal' end,
	               case when g % 2 = 0 then 'app-' || g else md5(g::text)::uuid::text end,
	               now() - ($size - g) * interval '3 s'
	        from generate_series(1, $size) g" \
		-c "update change_counter set seq = $size" -c "vacuum analyze change_log"
	have=$size
	bytes=$(sdb -Atc "select pg_total_relation_size('change_log')")
	echo "| $(printf "%'d" "$size") | $((bytes / 1048576)) MB | $((bytes / size)) B |" \
		"$(bench catchup "$CATCHUP" -D applied=$((size - 1))) |" \
		"$(bench catchup "$CATCHUP" -D applied=$((size - 1000))) |" \
		"$(bench catchup "$CATCHUP" -D applied=0) |" \
		"$(bench retomb "$RETOMB") |"
done
echo
echo "Plans at $(printf "%'d" "$have") rows:"
echo
echo '```'
sdb -c "explain (analyze, buffers, costs off) select c.seq as head, l.seq, l.kind, l.key from change_counter c left join (select seq, kind, key from change_log where seq > $((have - 1000)) order by seq limit 1000) l on true where c.id = 1 order by l.seq" | grep -v '^$'
sdb -c "explain (analyze, buffers, costs off) select seq, kind, key from change_log where committed_at > clock_timestamp() - make_interval(secs => 3600) order by seq" | grep -v '^$'
echo '```'
