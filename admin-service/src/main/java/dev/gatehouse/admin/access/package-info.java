/**
 * Who may call the admin API: the admin token or a paired terminal's admin token, through Spring Security.
 */
package dev.gatehouse.admin.access;
