#!/usr/bin/env bash
# Checks the Helm chart in infra/helm/gatehouse/ offline; exits non-zero on any failure:
#
# 1. `helm lint --strict` with each ci/*-values.yaml;
# 2. `helm template` of each, validated by `kubeconform -strict` against JSON schemas generated here
#    (schemas.py), never downloaded: the Kubernetes kinds from the Kubernetes OpenAPI document in the
#    k8s.io/kubernetes Go module (api/openapi-spec/swagger.json) of KUBE_VERSION, the Traefik Middleware
#    from the CRD definitions in Traefik's Go module (the release infra/local/traefik.sh pins);
# 3. structural checks no schema expresses (check_render.py);
# 4. the schemas reject what they must (an unknown field, a wrong type), and the chart refuses to render
#    a grace period shorter than the shutdown delay plus the drain, or without the PostgreSQL passwords.
#
# helm and kubeconform come from infra/local/helm.sh and kubeconform.sh (built once from their Go
# modules, cached in ~/.cache/gatehouse/). Needs Go (the module proxy, first run only), python3 and PyYAML.
set -euo pipefail
cd "$(dirname "$0")"

KUBE_VERSION=${GATEHOUSE_KUBE_VERSION:-v1.34.4}
TRAEFIK_VERSION=${GATEHOUSE_TRAEFIK_VERSION:-v3.6.23}
CHART=gatehouse

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
log() { printf '==> %s\n' "$*" >&2; }

python3 -c 'import yaml' 2>/dev/null || die "python3 without PyYAML: pip install pyyaml (or apt-get install python3-yaml)"
if [[ -x /usr/local/go/bin/go ]]; then PATH=$PATH:/usr/local/go/bin; fi
command -v go >/dev/null || die "no Go: needed to fetch the Kubernetes OpenAPI document and Traefik's CRDs"

HELM=$(../local/helm.sh)
KUBECONFORM=$(../local/kubeconform.sh)

module_dir() { # the module's directory in the Go module cache (downloaded once)
	go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}
SWAGGER=$(module_dir "k8s.io/kubernetes@$KUBE_VERSION")/api/openapi-spec/swagger.json
CRDS=$(module_dir "github.com/traefik/traefik/v3@$TRAEFIK_VERSION")/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml
[[ -f $SWAGGER ]] || die "no $SWAGGER"
[[ -f $CRDS ]] || die "no $CRDS"

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-helm.XXXXXX")
trap 'rm -rf "$work"' EXIT
LOCATION="$work/schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json"
render() { "$HELM" template gh "$CHART" --namespace gatehouse --kube-version "$KUBE_VERSION" "$@"; }

log "helm $("$HELM" version --short), kubeconform $("$KUBECONFORM" -v), Kubernetes $KUBE_VERSION schemas, Traefik $TRAEFIK_VERSION CRDs"
for values in "$CHART"/ci/*-values.yaml; do
	log "$values"
	"$HELM" lint --strict --kube-version "$KUBE_VERSION" "$CHART" -f "$values"
	render -f "$values" >"$work/rendered.yaml"
	python3 schemas.py "$SWAGGER" "$CRDS" "$work/schemas" <"$work/rendered.yaml" 2>/dev/null
	"$KUBECONFORM" -strict -summary -schema-location "$LOCATION" "$work/rendered.yaml"
	python3 check_render.py <"$work/rendered.yaml"
done

log "the checks reject what they must"
values=$CHART/ci/default-values.yaml
render -f "$values" >"$work/rendered.yaml"
must_fail() { # name, then a command that must fail
	local name=$1
	shift
	if "$@" >"$work/out" 2>&1; then
		cat "$work/out" >&2
		die "accepted: $name"
	fi
	printf 'refused as it should: %s\n' "$name"
}
sed 's/trustForwardHeader:/trustForwardHeaders:/' "$work/rendered.yaml" >"$work/bad1.yaml"
must_fail "an unknown Middleware field" "$KUBECONFORM" -strict -schema-location "$LOCATION" "$work/bad1.yaml"
sed 's/^\([[:space:]]*terminationGracePeriodSeconds:\) \([0-9]*\)$/\1 "\2"/' "$work/rendered.yaml" >"$work/bad2.yaml"
must_fail "a string where the Deployment wants an integer" "$KUBECONFORM" -strict -schema-location "$LOCATION" "$work/bad2.yaml"
must_fail "a grace period not longer than delay + drain" render -f "$values" --set auth.terminationGracePeriodSeconds=20
must_fail "no PostgreSQL passwords and no existing Secret" render
must_fail "an admin token under 16 characters" render -f "$values" --set secrets.adminToken=short
log "chart OK"
