#!/usr/bin/env bash
# Prints the path of a promtool of the pinned Prometheus release line, for checking and unit-testing
# the alert rules in infra/monitoring/ (CI runs it):
#
#   PROMTOOL=$(infra/local/promtool.sh)
#   "$PROMTOOL" test rules infra/monitoring/prometheus/gatehouse-rules.test.yml
#
# 1. a `promtool` on PATH whose `promtool --version` is 3.16.x (Debian's prometheus package ships an
#    older 2.x one, which is not taken),
# 2. else the cached build ${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse/promtool-<module version>/promtool,
# 3. else builds that one from Prometheus's Go module (a few minutes on 2 cores; needs Go and the Go
#    module proxy) with `go install`; should a later version's go.mod carry replace directives, which
#    `go install ...@version` refuses, the module source is downloaded and built in a writable copy.
#
# Prometheus 3.x.y is the Go module version v0.3xx.y: v0.316.0 is Prometheus 3.16.0.
# GATEHOUSE_PROMTOOL_VERSION overrides the module version (keep it on the 3.16 line, or change
# RELEASE_LINE with it). Progress goes to stderr; only the path goes to stdout. Prometheus's source
# and binary never enter the work tree.
set -euo pipefail

VERSION=${GATEHOUSE_PROMTOOL_VERSION:-v0.316.0}
RELEASE_LINE=3.16
MODULE=github.com/prometheus/prometheus
NAME=promtool

# shellcheck source=infra/local/go-tool.sh
source "$(dirname "${BASH_SOURCE[0]}")/go-tool.sh"

# True when the binary says it is promtool of RELEASE_LINE.
acceptable() {
	local reported
	reported=$("$1" --version 2>/dev/null | sed -n 's/^promtool, version \([0-9.]*\).*/\1/p' | head -n 1)
	[[ $reported == "$RELEASE_LINE".* ]]
}

build() {
	local release ldflags module_dir # work stays global: the EXIT trap removes it
	# v0.316.0 -> 3.16.0, the release the module version stands for (what `promtool --version` reports)
	release=$(sed -E 's/^v0\.3([0-9]{2})\.([0-9]+)$/3.\1.\2/; s/^3\.0/3./' <<<"$VERSION")
	ldflags="-s -w -X github.com/prometheus/common/version.Version=$release -X github.com/prometheus/common/version.Branch=module"
	log "building promtool $release ($MODULE@$VERSION) into $BINARY (a few minutes, once)"
	work=$(mktemp -d "${TMPDIR:-/tmp}/promtool-build.XXXXXX")
	trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
	# the release binaries are built with the netgo tag (pure-Go DNS resolver); promtool needs no cgo
	if ! CGO_ENABLED=0 GOBIN="$work/bin" nice go install -trimpath -tags netgo -ldflags "$ldflags" \
		"$MODULE/cmd/promtool@$VERSION" >&2; then
		log "go install refused $MODULE@$VERSION; building from the downloaded module instead"
		module_dir=$(go mod download -json "$MODULE@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
		[[ -n $module_dir && -f $module_dir/go.mod ]] || die "go mod download of $MODULE@$VERSION gave no source directory"
		cp -R "$module_dir/." "$work/src"
		chmod -R u+w "$work/src"
		(cd "$work/src" && CGO_ENABLED=0 nice go build -trimpath -tags netgo -ldflags "$ldflags" -o "$work/bin/promtool" ./cmd/promtool) >&2
	fi
	mv -f "$work/bin/promtool" "$BINARY.new" # same file system as BINARY: the last mv is atomic
	mv -f "$BINARY.new" "$BINARY"
}

find_or_build
