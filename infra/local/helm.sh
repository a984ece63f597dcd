#!/usr/bin/env bash
# Prints the path of a Helm binary of the pinned release line, for infra/helm/check.sh:
#
#   HELM=$(infra/local/helm.sh)
#
# 1. a `helm` on PATH whose `helm version` is 3.22.x,
# 2. else the cached build ${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse/helm-<version>/helm,
# 3. else builds that one from Helm's Go module with `go install` (a few minutes on 2 cores, once; needs
#    Go and the Go module proxy), at low CPU priority.
#
# GATEHOUSE_HELM_VERSION overrides the pinned release. Progress goes to stderr; only the path goes to
# stdout. Helm's source and binary never enter the work tree.
set -euo pipefail

VERSION=${GATEHOUSE_HELM_VERSION:-v3.22.0}
NAME=helm

# shellcheck source=infra/local/go-tool.sh
source "$(dirname "${BASH_SOURCE[0]}")/go-tool.sh"

# True when the binary says it is Helm of the pinned minor line (v3.22.x).
acceptable() {
	local reported
	reported=$("$1" version --short 2>/dev/null | head -n 1)
	[[ $reported == "${VERSION%.*}".* ]]
}

build() {
	log "building Helm $VERSION from its Go module into $BINARY (a few minutes, once)"
	# helm's own Makefile sets the version the same way; without it `helm version` says v3.x-dev-ish
	CGO_ENABLED=0 GOBIN=$CACHE_DIR nice -n 10 go install -trimpath \
		-ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$VERSION" \
		"helm.sh/helm/v3/cmd/helm@$VERSION" >&2
}

find_or_build
