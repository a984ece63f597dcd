/**
 * The auth-service: stateless forwardAuth replicas behind Traefik.
 */
package dev.gatehouse.auth;
