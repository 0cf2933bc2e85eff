/**
 * Edge rules: a site's header set/add/remove rules for the viewer request and the origin response,
 * parsed once from config with their {@code ${...}} variables, applied per request without regular
 * expressions, and reporting an invalid result as a FunctionValidationError failure instead of sending it.
 */
package io.telltale.core.rules;
