/**
 * The decision benchmark (JMH) and the load drivers of bench/run.sh.
 */
package dev.gatehouse.bench;
