/**
 * The change log (transactional outbox) and the invalidations published after each commit.
 */
package dev.gatehouse.admin.changelog;
