#!/usr/bin/env bash
# Redis memory per cached entry, measured on a running local cluster:
#   inserts N apps (m1..mN) and N terminals (t1..tN) into the cluster's database (as bench/run.sh does for its
#   memory figure), asks one replica for each once (bench's CacheFiller: app m<i> with terminal t<i>'s token),
#   which fills L2 with N app and N terminal entries, and reads
#   - INFO memory used_memory before and after (instance-wide: quiet Redis wanted; the key count is checked),
#   - MEMORY USAGE of every entry of the namespace (by kind) and of samples (value, tombstone, absence),
#   - the activity stream: MEMORY USAGE, XLEN, the events' sizes,
#   - nonce keys: 10,000 keys shaped like RedisNonceLedger's (SET NX PX) under a throwaway prefix, then deleted.
# Usage: GATEHOUSE_RUN_DIR=... [REPLICA=http://...] bench/capacity/redis-memory.sh [N]   (default 20000; needs bench/target, built
# by `mvn -o install -DskipTests` with the bench module, and the cluster's PostgreSQL superuser credentials).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N=${1:-20000}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
BENCH_CP=$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar:$(cat "$ROOT/bench/target/classpath.txt")
REPLICA=${REPLICA:-${AUTH_URLS%% *}} # a replica whose L1 does not hold m1..mN, t1..tN yet
NS=$NAMESPACE

used() { rc info memory | awk -F: '/^used_memory:/ { print $2 + 0 }'; }
keys_of() { rc --scan --pattern "$1" | wc -l; }
# sum of MEMORY USAGE over the keys matching a pattern
usage_of() {
	rc --scan --pattern "$1" | sed 's/^/MEMORY USAGE /' | rc | awk '{ s += $1; n++ } END { printf "%d %d", s, n }'
}

echo "## Redis memory per cached entry ($(date -u +%FT%TZ), N = $N)"
echo
echo "Redis $(rc info server | awk -F: '/^redis_version/ { print $2 }' | tr -d '\r'), $(rc info memory | awk -F: '/^mem_allocator/ { print $2 }' | tr -d '\r')"
echo
db <<SQL
insert into app (name, status, paths, always_on, idle_for_stop_seconds)
select 'm' || g, 'running', '{"/": {"access": "public", "headers": {"X-Ptl-Foo": "{{ auth.client_name }}"}}}', false, 600
from generate_series(1, $N) g on conflict do nothing;
insert into terminal (id, name) select 't' || g, 'terminal ' || g from generate_series(1, $N) g on conflict do nothing;
SQL
# start from no L2 entry for them (a previous run's expire after 1 h)
rc --scan --pattern "$NS:cache:v*:app:m[0-9]*" | sed 's/^/UNLINK /' | rc >/dev/null
rc --scan --pattern "$NS:cache:v*:terminal:t[0-9]*" | sed 's/^/UNLINK /' | rc >/dev/null
SECRET=$(db -Atc "select encode(private_key, 'hex') from token_key")
DBSIZE0=$(rc dbsize) USED0=$(used)
START=$SECONDS
"$JAVA" -cp "$BENCH_CP" dev.gatehouse.bench.CacheFiller "$REPLICA" "$N" "$N" "$SECRET"
echo "(filled through $REPLICA in $((SECONDS - START)) s)"
sleep 2
DBSIZE1=$(rc dbsize) USED1=$(used)
APPS=$(keys_of "$NS:cache:v*:app:m[0-9]*") TERMINALS=$(keys_of "$NS:cache:v*:terminal:t[0-9]*")
echo
echo "| | value |"
echo "|---|---|"
echo "| keys added (DBSIZE, instance-wide) | $((DBSIZE1 - DBSIZE0)) |"
echo "| app entries / terminal entries in L2 | $APPS / $TERMINALS |"
echo "| used_memory before → after | $USED0 → $USED1 B |"
echo "| used_memory per entry (app and terminal mixed, incl. key, TTL, dict) | $(( (USED1 - USED0) / (DBSIZE1 - DBSIZE0) )) B |"
read -r APP_BYTES APP_N <<<"$(usage_of "$NS:cache:v*:app:m[0-9]*")"
read -r TERM_BYTES TERM_N <<<"$(usage_of "$NS:cache:v*:terminal:t[0-9]*")"
echo "| MEMORY USAGE per app entry (mean of $APP_N) | $((APP_BYTES / APP_N)) B |"
echo "| MEMORY USAGE per terminal entry (mean of $TERM_N) | $((TERM_BYTES / TERM_N)) B |"
echo
APP_KEY=$(rc --scan --pattern "$NS:cache:v*:app:m1" | head -1)
TERM_KEY=$(rc --scan --pattern "$NS:cache:v*:terminal:t1" | head -1)
echo "Samples (key, value length, MEMORY USAGE, value):"
echo
for key in "$APP_KEY" "$TERM_KEY" $(rc --scan --pattern "$NS:cache:v*:app:cap-*" | head -2); do
	echo "    $key  strlen=$(rc strlen "$key")  usage=$(rc memory usage "$key")  ttl=$(rc pttl "$key")ms  $(rc get "$key" | cut -c1-120)"
done
echo
# the activity stream: bounded by entries (XADD MAXLEN ~ 10000), not by bytes
STREAM=$NS:activity
echo "Activity stream $STREAM after the fill: XLEN $(rc xlen "$STREAM"), MEMORY USAGE $(rc memory usage "$STREAM") B"
echo
# events shaped as ActivityRecorder writes them, in a throwaway stream: k apps (8-char names) and k terminals (UUIDs)
echo "| event listing k apps + k terminals | MEMORY USAGE of 10,000 events | per event |"
echo "|---|---|---|"
for k in 1 10 100; do
	apps=$(for i in $(seq 1 "$k"); do printf 'app-%04d,' "$i"; done) terms=$(for i in $(seq 1 "$k"); do printf '%08x-0000-4000-8000-%012x,' "$i" "$i"; done)
	for i in $(seq 1 10000); do
		printf 'XADD capbench:activity MAXLEN ~ 10000 * replica auth-%s at 2026-11-28T23:00:%02d.123456789Z apps %s terminals %s\n' \
			"$((i % 3))" "$((i % 60))" "${apps%,}" "${terms%,}"
	done | rc >/dev/null
	bytes=$(rc memory usage capbench:activity)
	echo "| k = $k | $bytes B ($(rc xlen capbench:activity) events) | $((bytes / $(rc xlen capbench:activity))) B |"
	rc unlink capbench:activity >/dev/null
done
echo
# nonce keys, shaped as RedisNonceLedger writes them: <ns>:nonce:<6-char key id>:<64 hex> = "1", PX window (5 min + 2 x 30 s)
USED2=$(used)
for i in $(seq 1 10000); do
	printf 'SET capbench:nonce:abcdef:%064x 1 NX PX 360000\n' "$i"
done | rc >/dev/null
USED3=$(used)
echo "Nonce keys: 10,000 added: used_memory +$((USED3 - USED2)) B, $(( (USED3 - USED2) / 10000 )) B per nonce;" \
	"MEMORY USAGE of one: $(rc memory usage "capbench:nonce:abcdef:$(printf '%064x' 1)") B"
rc --scan --pattern 'capbench:nonce:*' | sed 's/^/UNLINK /' | rc >/dev/null
