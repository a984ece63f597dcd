/**
 * The portal's default identity as the auth tier sees it.
 */
package dev.gatehouse.model.identity;
