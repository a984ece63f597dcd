/**
 * Apps: their names, path rules, access levels and identity-header templates.
 */
package dev.gatehouse.model.app;
