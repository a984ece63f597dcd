/**
 * App and terminal activity reported by the auth replicas.
 */
package dev.gatehouse.admin.activity;
