/**
 * The replica's HTTP listener (Netty): serves the forwardAuth endpoints and the operational ones
 * (health, metrics) on one port, never blocking its event loops.
 */
package dev.gatehouse.auth.listener;
