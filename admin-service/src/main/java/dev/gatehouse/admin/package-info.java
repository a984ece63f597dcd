/**
 * The admin-service: REST API, schema, change log and invalidation publishing.
 */
package dev.gatehouse.admin;
