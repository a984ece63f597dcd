#!/usr/bin/env bash
# Prints the path of a Traefik binary of the pinned release line, for the local cluster, the
# end-to-end tests and CI:
#
#   TRAEFIK=$(infra/local/traefik.sh)
#
# 1. a `traefik` on PATH whose `traefik version` is 3.6.x with x >= 22 (the official release binary),
# 2. else the cached build ${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse/traefik-<version>/traefik,
# 3. else builds that one from Traefik's Go module (a few minutes on 2 cores; needs Go and the Go module
#    proxy). `go install ...@version` refuses Traefik (its go.mod has replace directives), so the module
#    source is downloaded, copied somewhere writable and built there with `go build ./cmd/traefik`.
#
# GATEHOUSE_TRAEFIK_VERSION overrides the pinned release (the compose file pins the same one: a test
# checks). v3.6.22 is the first release with the entrypoint option underscoreHeadersStrategy.
# Progress goes to stderr; only the path goes to stdout. Traefik's source and binary never enter the
# work tree.
set -euo pipefail

VERSION=${GATEHOUSE_TRAEFIK_VERSION:-v3.6.23}
MIN_PATCH=22
NAME=traefik

# shellcheck source=infra/local/go-tool.sh
source "$(dirname "${BASH_SOURCE[0]}")/go-tool.sh"

# True when the binary says it is Traefik 3.6.x with x >= MIN_PATCH.
acceptable() {
	local reported
	reported=$("$1" version 2>/dev/null | sed -n 's/^Version: *v\{0,1\}//p' | head -n 1)
	[[ $reported =~ ^3\.6\.([0-9]+)$ ]] && ((BASH_REMATCH[1] >= MIN_PATCH))
}

build() {
	local module_dir # work stays global: the EXIT trap removes it
	log "building Traefik $VERSION from its Go module into $BINARY (a few minutes, once)"
	module_dir=$(go mod download -json "github.com/traefik/traefik/v3@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[[ -n $module_dir && -f $module_dir/go.mod ]] || die "go mod download of github.com/traefik/traefik/v3@$VERSION gave no source directory"
	work=$(mktemp -d "${TMPDIR:-/tmp}/traefik-src.XXXXXX")
	trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
	cp -R "$module_dir/." "$work"
	chmod -R u+w "$work"
	# webui/embed.go embeds webui/static; the module ships that directory with a placeholder file, which
	# is all the binary needs (no dashboard assets are built here).
	mkdir -p "$work/webui/static"
	[[ -n $(ls -A "$work/webui/static") ]] || printf 'no dashboard assets in this build\n' >"$work/webui/static/README.md"
	(
		cd "$work"
		CGO_ENABLED=0 go build -trimpath -o "$BINARY.new" \
			-ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$VERSION" ./cmd/traefik
	) >&2
	mv -f "$BINARY.new" "$BINARY"
}

find_or_build
