-- The admin re-tombstones the changes of the last L2 TTL (an hour) at start-up and at every new Redis
-- epoch: without this index that query reads the whole change log (1.2 s at 10 M rows, docs/capacity.md).
-- Not CONCURRENTLY: Flyway's transactional lock makes such a build wait forever (flyway/flyway#3682). The
-- build blocks new changes while it runs (seconds at 10 M rows); the admin waits for them meanwhile.
create index change_log_committed_at on change_log (committed_at);
