/**
 * Real PostgreSQL and Redis for tests, and private databases and namespaces on them.
 */
package dev.gatehouse.testsupport;
