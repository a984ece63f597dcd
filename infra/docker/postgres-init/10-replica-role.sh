#!/bin/sh
# Runs once, when the postgres container initialises an empty data directory (docker-entrypoint-initdb.d):
# the auth replicas' login role `gatehouse_auth`, a member of `gatehouse_reader`, the role the admin's
# migration grants SELECT on the cached columns to (it creates it too when missing). The replicas get
# no private key and no write.
set -eu
: "${GATEHOUSE_AUTH_DB_PASSWORD:?set GATEHOUSE_AUTH_DB_PASSWORD (the .env of the README command does)}"
psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
	-v password="$GATEHOUSE_AUTH_DB_PASSWORD" <<'SQL'
create role gatehouse_reader nologin;
create role gatehouse_auth login in role gatehouse_reader password :'password';
SQL
