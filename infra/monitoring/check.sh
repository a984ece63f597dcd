#!/usr/bin/env bash
# Checks everything in infra/monitoring/ (CI runs it, before the Maven build):
#   promtool check rules, promtool test rules (the alerts' unit tests), promtool check config (the
#   local scrape configuration), the dashboard's JSON, and check_names.py (the dashboard's queries parse
#   as PromQL; every metric a query or a rule names is one the services expose: known-metrics.txt).
# promtool comes from infra/local/promtool.sh (built once from Prometheus's Go module, then cached).
set -euo pipefail
cd "$(dirname "$0")"

PROMTOOL=$(../local/promtool.sh)
"$PROMTOOL" check rules prometheus/gatehouse-rules.yml
"$PROMTOOL" test rules prometheus/gatehouse-rules.test.yml
"$PROMTOOL" check config --syntax-only prometheus/prometheus.local.yml
python3 -m json.tool grafana/gatehouse.json >/dev/null
python3 check_names.py "$PROMTOOL"
