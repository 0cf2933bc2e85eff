/**
 * Transport security toward origins and at the edge: TLS contexts, SNI, chain recording and the inspection that names each certificate failure.
 */
package io.telltale.core.tls;
