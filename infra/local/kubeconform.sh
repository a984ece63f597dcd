#!/usr/bin/env bash
# Prints the path of a kubeconform binary of the pinned release, for infra/helm/check.sh:
#
#   KUBECONFORM=$(infra/local/kubeconform.sh)
#
# 1. a `kubeconform` on PATH whose `kubeconform -v` is the pinned release,
# 2. else the cached build ${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse/kubeconform-<version>/kubeconform,
# 3. else builds that one from its Go module with `go install` (well under a minute, once; needs Go and
#    the Go module proxy), at low CPU priority.
#
# GATEHOUSE_KUBECONFORM_VERSION overrides the pinned release. Progress goes to stderr; only the path goes
# to stdout. kubeconform downloads the Kubernetes JSON schemas from GitHub by default; check.sh never lets
# it: it passes locally generated schemas (infra/helm/schemas.py) with -schema-location.
set -euo pipefail

VERSION=${GATEHOUSE_KUBECONFORM_VERSION:-v0.8.0}
NAME=kubeconform

# shellcheck source=infra/local/go-tool.sh
source "$(dirname "${BASH_SOURCE[0]}")/go-tool.sh"

# True when the binary reports the pinned release (a `go install` build reports its module version).
acceptable() {
	local reported
	reported=$("$1" -v 2>/dev/null | head -n 1)
	[[ $reported == "$VERSION" || $reported == "${VERSION#v}" ]]
}

build() {
	log "building kubeconform $VERSION from its Go module into $BINARY (once)"
	CGO_ENABLED=0 GOBIN=$CACHE_DIR nice -n 10 go install -trimpath -ldflags "-s -w -X main.version=$VERSION" \
		"github.com/yannh/kubeconform/cmd/kubeconform@$VERSION" >&2
}

find_or_build
