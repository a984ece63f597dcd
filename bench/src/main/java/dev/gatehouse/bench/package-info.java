/**
 * Load drivers for bench/run.sh.
 */
package dev.gatehouse.bench;
