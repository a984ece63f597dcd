-- Terminal tokens are ES256 JWTs: the private key signs (admin only), the public key verifies (replicas).
-- The HS256 secret they replace could both mint and verify, and sat in every replica and in Redis.
drop table signing_key;

create table token_key (
    name        text        primary key,
    public_key  bytea       not null,
    private_key bytea       not null,
    created_at  timestamptz not null default now()
);

-- The auth replicas read through this role and nothing else: SELECT on exactly the columns they cache,
-- never a private key, never a write. Deployments give the replicas a login role that is a member of it
-- (see docs/security.md). The role is cluster-wide; name it per installation when several installations
-- share one PostgreSQL (gatehouse.admin.reader-role).
do $$
begin
    if not exists (select 1 from pg_roles where rolname = '${reader_role}') then
        execute format('create role %I nologin', '${reader_role}');
    end if;
end
$$;

grant usage on schema public to "${reader_role}";
grant select on change_counter, change_log to "${reader_role}";
grant select (name, status, paths) on app to "${reader_role}";
grant select (id, name) on terminal to "${reader_role}";
grant select (id, name, email, is_default, domain, public_key_pem) on identity to "${reader_role}";
grant select (name, public_key) on token_key to "${reader_role}";
