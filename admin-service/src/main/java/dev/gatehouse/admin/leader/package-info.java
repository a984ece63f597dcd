/**
 * Which admin instance does the work that must happen once per installation.
 */
package dev.gatehouse.admin.leader;
