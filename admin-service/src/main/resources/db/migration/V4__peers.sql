-- Other installations whose signed requests the auth tier admits on `peer` paths. Replicas look a peer up
-- by its short id, the `keyid` of its signatures, so short ids are unique.
create table peer (
    id             text        primary key,
    short_id       text        not null unique,
    name           text        not null,
    domain         text        not null,
    public_key_pem text        not null,
    key_source     text        not null check (key_source in ('given', 'identity-document')),
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);

grant select (short_id, id, name, domain, public_key_pem) on peer to "${reader_role}";
