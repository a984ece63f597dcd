/**
 * Applies the admin's change messages to this replica's caches.
 */
package dev.gatehouse.auth.invalidation;
