/**
 * The domain types, cache-key scheme and invalidation protocol that the auth and admin services share.
 */
package dev.gatehouse.model;
