# shellcheck shell=bash
# Sourced by traefik.sh, promtool.sh, helm.sh and kubeconform.sh: how a tool pinned to a release line is
# found, or built once per machine from its Go module. The sourcing script sets NAME (the command on PATH)
# and VERSION before sourcing, which sets CACHE_DIR (also holding the build lock) and BINARY, the cached
# build in it; the script then defines `acceptable PATH` (true when that binary is of the pinned release
# line) and `build` (writes BINARY, progress to stderr), and calls find_or_build, which prints the path of
# the binary to use and exits:
#
# 1. a NAME on PATH that is acceptable,
# 2. else the cached BINARY,
# 3. else a build (needs Go and the Go module proxy), one at a time: a second caller waits for the first
#    and then finds the binary.

CACHE_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse/$NAME-$VERSION
BINARY=$CACHE_DIR/$NAME

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

find_or_build() {
	local started
	if command -v "$NAME" >/dev/null 2>&1 && acceptable "$(command -v "$NAME")"; then
		command -v "$NAME"
		exit 0
	fi
	if [[ -x $BINARY ]] && acceptable "$BINARY"; then
		printf '%s\n' "$BINARY"
		exit 0
	fi
	if [[ -x /usr/local/go/bin/go ]]; then PATH=$PATH:/usr/local/go/bin; fi # the official Go tarball's place
	command -v go >/dev/null 2>&1 || die "no $NAME of the pinned release on PATH and no Go to build one: install either"
	mkdir -p "$CACHE_DIR"
	exec 9>"$CACHE_DIR/.lock"
	flock 9
	if [[ -x $BINARY ]] && acceptable "$BINARY"; then
		printf '%s\n' "$BINARY"
		exit 0
	fi
	started=$SECONDS
	build
	acceptable "$BINARY" || die "the build at $BINARY does not report the pinned release"
	log "built $NAME in $((SECONDS - started)) s"
	printf '%s\n' "$BINARY"
	exit 0
}
