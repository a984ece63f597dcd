/**
 * Peers: other installations, their keys bound to their ids, and the identity documents keys are
 * resolved from.
 */
package dev.gatehouse.admin.peer;
