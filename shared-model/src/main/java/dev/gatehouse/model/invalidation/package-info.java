/**
 * The invalidation protocol: change messages, versioned L2 entries and the Redis key scheme.
 */
package dev.gatehouse.model.invalidation;
