/**
 * Apps: definition, validation and storage.
 */
package dev.gatehouse.admin.app;
