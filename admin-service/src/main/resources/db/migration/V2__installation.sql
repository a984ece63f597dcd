-- Identifies this database, so an admin can tell when the Redis namespace it uses still holds entries
-- another database wrote (a namespace reused after a reinstall): their seqs are not comparable with ours.
create table installation (
    id   smallint primary key check (id = 1),
    uuid text     not null
);
insert into installation (id, uuid) values (1, gen_random_uuid()::text);
