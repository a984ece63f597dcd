#!/usr/bin/env bash
# Writes the scrape targets of the local cluster (infra/local/cluster.sh) for prometheus.local.yml:
# run/monitoring/{auth-targets.json,admin-targets.json,admin-token} in the cluster's run directory
# (GATEHOUSE_RUN_DIR, default infra/local/run). Run it again after `up` or `scale`: ports change.
set -euo pipefail
RUN_DIR=${GATEHOUSE_RUN_DIR:-$(cd "$(dirname "$0")/../../local" && pwd)/run}
[[ -f $RUN_DIR/cluster.env ]] || { echo "error: no $RUN_DIR/cluster.env: is the cluster up?" >&2; exit 1; }
# shellcheck source=/dev/null  # written by cluster.sh
source "$RUN_DIR/cluster.env"
out=$RUN_DIR/monitoring
mkdir -p "$out"
targets() { printf '[{"targets": [%s]}]\n' "$(printf '"%s",' "${@#http://}" | sed 's/,$//')"; }
# shellcheck disable=SC2086  # AUTH_URLS is a space-separated list
targets $AUTH_URLS >"$out/auth-targets.json.new" && mv -f "$out/auth-targets.json.new" "$out/auth-targets.json"
targets "$ADMIN_URL" >"$out/admin-targets.json.new" && mv -f "$out/admin-targets.json.new" "$out/admin-targets.json"
(umask 077 && printf '%s' "$ADMIN_TOKEN" >"$out/admin-token")
echo "wrote $out: $(wc -w <<<"$AUTH_URLS") replica(s) and the admin"
