-- The replicas' login role of infra/local/cluster.sh: a member of the reader role the admin's migration
-- creates and grants SELECT on the cached columns to. psql variables: role, reader; the password comes
-- from the environment (REPLICA_DB_PASSWORD), never a command line.
\getenv password REPLICA_DB_PASSWORD
set client_min_messages = warning;
select format('create role %I login', :'role')
where not exists (select 1 from pg_roles where rolname = :'role') \gexec
select format('alter role %I login password %L', :'role', :'password') \gexec
select format('grant %I to %I', :'reader', :'role') \gexec
