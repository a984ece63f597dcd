/**
 * Portal identities and their key material.
 */
package dev.gatehouse.admin.identity;
