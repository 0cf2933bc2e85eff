/**
 * CDN profiles as data: how CloudFront, Cloudflare, Fastly and Akamai treat a custom origin (origin rules, TLS
 * offer, timeouts, limits, headers, error caching) and how each answers a failure, every value with its source
 * and unknown values marked unknown; it depends on nothing else in the gateway.
 */
package io.telltale.core.profile;
