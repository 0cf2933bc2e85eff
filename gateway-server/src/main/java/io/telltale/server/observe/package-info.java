/** What the gateway tells its operators about the traffic: the access log and Prometheus metrics. */
package io.telltale.server.observe;
