/**
 * Real PostgreSQL and Redis for tests, private databases and namespaces on them, and private Redis processes
 * (one server, a Cluster, a Sentinel deployment) for tests that need a topology or a fault.
 */
package dev.gatehouse.testsupport;
