#!/usr/bin/env python3
"""Structural checks of a rendered chart (stdin: `helm template` output) that no schema expresses:
the Middleware points at the replicas' Service and port, probes hit the actuator on the listener port,
the grace period covers the shutdown delay plus the drain, the containers are locked down, the JVM
memory fits the limit. Prints each failure; exit 1 if any."""
import re
import sys

import yaml

docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def seconds(value):
    m = re.fullmatch(r"(\d+)s", value)
    return int(m.group(1)) if m else None


def mebibytes(quantity):
    m = re.fullmatch(r"(\d+)(Mi|Gi)", str(quantity))
    return int(m.group(1)) * (1024 if m.group(2) == "Gi" else 1) if m else None


services = {s["metadata"]["name"]: s for s in by_kind.get("Service", [])}
deployments = {d["metadata"]["labels"]["app.kubernetes.io/component"]: d for d in by_kind.get("Deployment", [])}
check(set(deployments) == {"admin", "auth"}, f"Deployments: {sorted(deployments)}")
auth = deployments["auth"]
auth_name = auth["metadata"]["name"]
auth_svc = services.get(auth_name)
check(auth_svc is not None, f"no Service {auth_name}")
pod = auth["spec"]["template"]["spec"]
container = pod["containers"][0]
env = {e["name"]: e for e in container["env"]}
port = container["ports"][0]["containerPort"]
check(env["SERVER_PORT"]["value"] == str(port), "SERVER_PORT is not the container port")
for probe, path in (("readinessProbe", "/actuator/health/readiness"), ("livenessProbe", "/actuator/health/liveness")):
    get = container[probe]["httpGet"]
    check(get["path"] == path and get["port"] == "http", f"auth {probe}: {get}")
if auth_svc:
    svc_port = auth_svc["spec"]["ports"][0]
    check(svc_port["targetPort"] == "http", "auth Service targetPort is not the named listener port")
    check(auth_svc["spec"]["selector"].items() <= auth["spec"]["template"]["metadata"]["labels"].items(),
          "auth Service selector does not select the auth pods")
    for mw in by_kind.get("Middleware", []):
        fa = mw["spec"]["forwardAuth"]
        expected = f"http://{auth_name}.{mw['metadata']['namespace']}.svc:{svc_port['port']}/internal/auth"
        check(fa["address"] == expected, f"Middleware address {fa['address']} != {expected}")
        check(fa.get("trustForwardHeader") is False, "Middleware trusts client X-Forwarded-* headers")
        check(fa.get("authResponseHeadersRegex") == "(?i)^x[-_]ptl[-_]", "Middleware authResponseHeadersRegex differs from infra/traefik")
delay = seconds(env["GATEHOUSE_AUTH_SHUTDOWN_DELAY"]["value"])
drain = seconds(env["GATEHOUSE_AUTH_HTTP_DRAIN_TIMEOUT"]["value"])
check(pod["terminationGracePeriodSeconds"] > delay + drain,
      f"grace {pod['terminationGracePeriodSeconds']} s <= delay {delay} s + drain {drain} s")
xmx = re.search(r"-Xmx(\d+)m", env["JDK_JAVA_OPTIONS"]["value"])
limit = mebibytes(container["resources"]["limits"]["memory"])
check(xmx and limit and limit >= int(xmx.group(1)) + 128, f"memory limit {limit} Mi leaves < 128 Mi beyond the heap")
for d in deployments.values():
    spec = d["spec"]["template"]["spec"]
    c = spec["containers"][0]
    sc = c["securityContext"]
    name = d["metadata"]["name"]
    check(sc.get("runAsNonRoot") is True and sc.get("readOnlyRootFilesystem") is True
          and sc.get("allowPrivilegeEscalation") is False and sc["capabilities"]["drop"] == ["ALL"]
          and sc["seccompProfile"]["type"] == "RuntimeDefault", f"{name}: securityContext {sc}")
    check(any(m["mountPath"] == "/tmp" for m in c.get("volumeMounts", [])), f"{name}: no writable /tmp")
    names = {e["name"] for e in c["env"]}
    for required in ("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
                     "SPRING_DATA_REDIS_HOST", "SPRING_DATA_REDIS_PORT", "GATEHOUSE_NAMESPACE"):
        check(required in names, f"{name}: no {required}")
    check("requests" in c["resources"] and "limits" in c["resources"], f"{name}: no requests or limits")
admin_env = {e["name"] for e in deployments["admin"]["spec"]["template"]["spec"]["containers"][0]["env"]}
check("GATEHOUSE_ADMIN_TOKEN" in admin_env, "admin: no GATEHOUSE_ADMIN_TOKEN")
for hpa in by_kind.get("HorizontalPodAutoscaler", []):
    check(hpa["spec"]["scaleTargetRef"]["name"] == auth_name, "HPA does not scale the auth Deployment")
    check("replicas" not in auth["spec"], "auth Deployment sets replicas although the HPA owns them")
for f in failures:
    print("FAIL: " + f)
print(f"structure: {len(docs)} resources, {len(failures)} failures")
sys.exit(1 if failures else 0)
