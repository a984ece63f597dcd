#!/usr/bin/env python3
"""Checks the Grafana dashboard and the alert rules against what Prometheus and the services accept.

    python3 check_names.py PROMTOOL

1. the dashboard is a dashboard of this repo's kind: a `datasource` variable of type datasource, `job`
   and `instance` variables, every query panel on `${datasource}`, panel ids unique;
2. every dashboard query parses as PromQL: Grafana's variables are replaced by plain values and the
   queries written as recording rules to a temporary file for `promtool check rules`;
3. every metric a query, a variable or an alert rule names is in known-metrics.txt (the names the
   services really expose), so a typo or a renamed meter fails here instead of leaving a panel empty or
   an alert silent (the promtool unit tests cannot catch that: their series carry the same names).

Needs PyYAML for the rules (installed with the machine's Python); without it, step 3 skips the rules.
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DASHBOARD = HERE / "grafana" / "gatehouse.json"
RULES = HERE / "prometheus" / "gatehouse-rules.yml"
KNOWN = HERE / "known-metrics.txt"

# Grafana's variables, replaced by values that keep a query valid PromQL
VARIABLES = {"__rate_interval": "1m", "__interval": "1m", "__range": "1h", "job": "gatehouse-auth",
             "instance": ".*", "admin_job": "gatehouse-admin"}
KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "offset", "inf", "nan", "atan2"}


def substitute(expr):
    def value(match):
        name = match.group(1) or match.group(2)
        if name not in VARIABLES:
            raise ValueError(f"unknown variable ${name} in: {expr}")
        return VARIABLES[name]
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", value, expr)


def metric_names(expr):
    """The metric names a PromQL expression selects (a simple lexer, enough for these queries)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)          # string literals
    text = re.sub(r"\{[^}]*\}", " ", text)                    # label matchers
    text = re.sub(r"\[[^\]]*\]", " ", text)                   # ranges and subqueries
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        word = match.group(0)
        following = text[match.end():].lstrip()
        if word.lower() in KEYWORDS or following.startswith("("):
            continue                                          # a keyword, a function or an aggregation
        if match.start() > 0 and (text[match.start() - 1].isdigit() or text[match.start() - 1] == "."):
            continue                                          # a unit or exponent of a number (15s, 1e3)
        names.add(word)
    return names


def panels(items):
    for panel in items:
        yield panel
        yield from panels(panel.get("panels", []))


def main(promtool):
    errors = []
    known = {line.strip() for line in KNOWN.read_text().splitlines() if line.strip() and not line.startswith("#")}
    dashboard = json.loads(DASHBOARD.read_text())

    variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
    if variables.get("datasource", {}).get("type") != "datasource":
        errors.append("the dashboard has no `datasource` variable of type datasource")
    for name in ("job", "instance"):
        if name not in variables:
            errors.append(f"the dashboard has no `{name}` variable")
    if not isinstance(dashboard.get("schemaVersion"), int):
        errors.append("the dashboard has no schemaVersion")

    queries = []  # (where, expr)
    for variable in variables.values():
        if variable.get("type") == "query":
            definition = variable.get("definition", "")
            inner = re.fullmatch(r"label_values\((.*),\s*\w+\)", definition)
            if not inner:
                errors.append(f"variable {variable['name']}: not a label_values() query: {definition}")
                continue
            queries.append((f"variable {variable['name']}", inner.group(1)))
    ids = set()
    for panel in panels(dashboard.get("panels", [])):
        if panel.get("id") in ids:
            errors.append(f"panel id {panel.get('id')} is used twice")
        ids.add(panel.get("id"))
        for target in panel.get("targets", []):
            where = f"panel {panel['id']} \"{panel.get('title')}\" {target.get('refId')}"
            if (target.get("datasource") or panel.get("datasource") or {}).get("uid") != "${datasource}":
                errors.append(f"{where}: not on the ${{datasource}} variable")
            queries.append((where, target["expr"]))

    # 2. PromQL syntax, through promtool
    rules = {"groups": [{"name": "dashboard", "rules": []}]}
    for index, (where, expr) in enumerate(queries):
        try:
            rules["groups"][0]["rules"].append({"record": f"dashboard_query_{index}", "expr": substitute(expr)})
        except ValueError as error:
            errors.append(f"{where}: {error}")
    with tempfile.NamedTemporaryFile("w", suffix=".yml", prefix="dashboard-queries-") as file:
        json.dump(rules, file)  # JSON is YAML
        file.flush()
        check = subprocess.run([promtool, "check", "rules", file.name], capture_output=True, text=True)
        if check.returncode != 0:
            refused = sorted({int(i) for i in re.findall(r"dashboard_query_(\d+)", check.stdout + check.stderr)})
            named = "".join(f"\n  dashboard_query_{i} is {queries[i][0]}" for i in refused)
            errors.append(f"dashboard queries that promtool refuses:\n{check.stdout}{check.stderr}{named}")

    # 3. metric names
    for where, expr in queries:
        for name in sorted(metric_names(expr) - known):
            errors.append(f"{where}: unknown metric {name}")
    try:
        import yaml
    except ImportError:
        print("check_names.py: no PyYAML, the rules' metric names are not checked")
    else:
        for group in yaml.safe_load(RULES.read_text())["groups"]:
            for rule in group["rules"]:
                for name in sorted(metric_names(rule["expr"]) - known):
                    errors.append(f"rule {rule.get('alert') or rule.get('record')}: unknown metric {name}")

    if errors:
        print("\n".join(f"error: {e}" for e in errors), file=sys.stderr)
        return 1
    print(f"dashboard and rules: {len(queries)} dashboard queries parse, every metric named is known")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
