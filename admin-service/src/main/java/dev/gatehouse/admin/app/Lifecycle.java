package dev.gatehouse.admin.app;

/**
 * When an app runs.
 *
 * @param alwaysOn keep it running even when idle
 * @param idleForStop seconds without access after which it is stopped
 */
record Lifecycle(boolean alwaysOn, long idleForStop) {
}
