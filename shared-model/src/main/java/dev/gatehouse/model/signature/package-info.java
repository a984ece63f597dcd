/**
 * HTTP message signatures (RFC 9421) for peer requests: the signature base, verification against a peer's
 * registered key under a freshness and coverage policy, and signing of Gatehouse's own outbound calls.
 */
package dev.gatehouse.model.signature;
