-- The change counter serializes writers: every mutation updates this row in its own transaction, so
-- seq values are assigned in commit order and "data read at seq v reflects every change <= v".
create table change_counter (
    id  smallint primary key check (id = 1),
    seq bigint   not null
);
insert into change_counter (id, seq) values (1, 0);

-- Transactional outbox: one row per change, written in the mutation's transaction.
create table change_log (
    seq          bigint      primary key,
    kind         text        not null,
    key          text        not null,
    committed_at timestamptz not null default clock_timestamp()
);

create table app (
    name                  text        primary key,
    status                text        not null,
    paths                 jsonb       not null,
    always_on             boolean     not null default false,
    idle_for_stop_seconds integer     not null check (idle_for_stop_seconds > 0),
    last_access           timestamptz,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now()
);

create table identity (
    id              text        primary key,
    name            text        not null,
    email           text,
    description     text,
    is_default      boolean     not null default false,
    domain          text        not null,
    public_key_pem  text        not null,
    private_key_pem text        not null,
    created_at      timestamptz not null default now()
);
-- exactly one default identity, at most
create unique index identity_single_default on identity (is_default) where is_default;

create table terminal (
    id              text        primary key,
    name            text        not null,
    created_at      timestamptz not null default now(),
    last_connection timestamptz
);

-- one live pairing code at a time
create table pairing_code (
    id          smallint    primary key check (id = 1),
    code        text        not null,
    valid_until timestamptz not null
);

create table signing_key (
    name       text        primary key,
    secret     bytea       not null,
    created_at timestamptz not null default now()
);
