#!/usr/bin/env bash
# Writes the .env that docker-compose.yml reads (next to it, git-ignored): the group of the Docker
# socket, so the admin (uid 10001) may drive app containers, and random secrets. Values already in the
# file are kept: PostgreSQL keeps the passwords it was initialised with.
#
#   infra/docker/env.sh            # then: docker compose up -d --build --scale auth-service=3
set -euo pipefail

ENV_FILE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.env
SOCKET=${DOCKER_SOCKET:-/var/run/docker.sock}

secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

[[ -S $SOCKET ]] || { printf 'error: no Docker socket at %s (set DOCKER_SOCKET)\n' "$SOCKET" >&2; exit 1; }
(umask 077 && touch "$ENV_FILE")
add() { grep -q "^$1=" "$ENV_FILE" || printf '%s=%s\n' "$1" "$2" >>"$ENV_FILE"; }
add DOCKER_GID "$(stat -c %g "$SOCKET")"
add GATEHOUSE_ADMIN_TOKEN "$(secret)"
add GATEHOUSE_MANAGEMENT_SECRET "$(secret)"
add POSTGRES_PASSWORD "$(secret)"
add GATEHOUSE_AUTH_DB_PASSWORD "$(secret)"
printf 'wrote %s (the admin token is GATEHOUSE_ADMIN_TOKEN)\n' "$ENV_FILE" >&2
