/**
 * Who may call the admin API: the admin token or a paired terminal.
 */
package dev.gatehouse.admin.access;
