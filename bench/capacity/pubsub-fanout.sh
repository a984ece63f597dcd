#!/usr/bin/env bash
# Redis CPU per PUBLISH with k subscribers (k = 0, 1, 3, 10, 30), and a replica's CPU per applied change message.
#   1. Redis: k raw subscribers (subscribers.py) on a throwaway channel; redis-benchmark publishes N messages
#      shaped as the admin's (`inv <seq> app <name>`, 24 B) from 1 connection, no pipelining; Redis's own CPU
#      (INFO cpu, used_cpu_user + used_cpu_sys) and commandstats' usec_per_call for PUBLISH, per message. The
#      k = 0 row is the cost of the benchmark's own request and reply; the rest of each row is the fan-out.
#      Every subscriber's received byte count is checked (a slow one would be disconnected).
#   2. Replicas: M messages `inv 1 app capbench-none` on the cluster's own channel (seq 1 is long applied, so a
#      replica only drops an absent L1 key: the whole receive path, Redisson's decoding included), then the same
#      time idle; each replica's CPU (/proc/<pid>/stat utime + stime) with messages minus idle, per message.
# Usage: GATEHOUSE_RUN_DIR=... flock /tmp/bench.lock bench/capacity/pubsub-fanout.sh [N] [M]   (100000, 50000)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N=${1:-100000} M=${2:-50000}
CHANNEL=capbench:fanout
MESSAGE='inv 123456 app app-12345'
HZ=$(getconf CLK_TCK)

publish_stat() { rc info commandstats | awk -F'[:=,]' '/^cmdstat_publish:/ { print $3, $5 }'; }

echo "## Pub/sub fan-out ($(date -u +%FT%TZ), N = $N messages per row)"
echo
echo "| subscribers k | publish rate (1 connection) | Redis CPU per PUBLISH | of which fan-out per subscriber | usec_per_call (commandstats) | all delivered |"
echo "|---|---|---|---|---|---|"
BASE=
for k in 0 1 3 10 30; do
	out=$(mktemp)
	python3 "$CAP_DIR/subscribers.py" "$REDIS_HOST" "$REDIS_PORT" "$CHANNEL" "$k" >"$out" & subs=$!
	while [[ $(rc pubsub numsub "$CHANNEL" | tail -1) != "$k" ]]; do sleep 0.1; done
	cpu0=$(redis_cpu); read -r calls0 usec0 <<<"$(publish_stat)"
	rate=$(redis-benchmark -h "$REDIS_HOST" -p "$REDIS_PORT" -q -n "$N" -c 1 publish "$CHANNEL" "$MESSAGE" | tr '\r' '\n' |
		grep -o '[0-9.]* requests per second' | tail -1 | cut -d' ' -f1)
	cpu1=$(redis_cpu); read -r calls1 usec1 <<<"$(publish_stat)"
	sleep 0.5; kill "$subs"; wait "$subs" || true
	per=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$N" 'BEGIN { printf "%.2f", (b - a) * 1e6 / n }')
	[[ -n $BASE ]] || BASE=$per
	delivered=$(awk -v min="$((N * (${#MESSAGE} + ${#CHANNEL} + 25)))" '/^bytes/ { ok = 1; for (i = 4; i <= NF; i++) if ($i < min) ok = 0; print (ok ? "yes" : "NO: " $0) }' "$out")
	[[ $k != 0 ]] || delivered=-
	echo "| $k | $(printf '%.0f' "$rate")/s | $per µs | $( ((k > 0)) && awk -v p="$per" -v b="$BASE" -v k="$k" 'BEGIN { printf "%.2f µs", (p - b) / k }' || echo -) | $(awk -v c0="$calls0" -v c1="$calls1" -v u0="$usec0" -v u1="$usec1" 'BEGIN { printf "%.2f µs", (u1 - u0) / (c1 - c0) }') | $delivered |"
	rm -f "$out"
done
echo
echo "### A replica's cost per change message ($M messages on $NAMESPACE:changes)"
echo
pids=$(for f in "$RUN_DIR"/pids/auth-*.pid; do cat "$f"; done)
ticks() { for p in $pids; do cpu_ticks "$p"; done | paste -sd' '; }
t0=$(ticks) s0=$(date +%s.%N)
redis-benchmark -h "$REDIS_HOST" -p "$REDIS_PORT" -q -n "$M" -c 1 publish "$NAMESPACE:changes" "inv 1 app capbench-none" >/dev/null
t1=$(ticks) s1=$(date +%s.%N)
busy=$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.3f", b - a }')
sleep "$busy"
t2=$(ticks)
echo "$M messages in $busy s, then $busy s idle; CPU of each replica (auth-1..):"
echo
echo "| replica | CPU with messages | CPU idle (same time) | per message |"
echo "|---|---|---|---|"
i=0
for p in $pids; do
	i=$((i + 1))
	a=$(cut -d' ' -f$i <<<"$t0") b=$(cut -d' ' -f$i <<<"$t1") c=$(cut -d' ' -f$i <<<"$t2")
	awk -v a="$a" -v b="$b" -v c="$c" -v hz="$HZ" -v m="$M" -v r="auth-$i" \
		'BEGIN { printf "| %s | %.2f s | %.2f s | %.1f µs |\n", r, (b - a) / hz, (c - b) / hz, ((b - a) - (c - b)) / hz * 1e6 / m }'
done
