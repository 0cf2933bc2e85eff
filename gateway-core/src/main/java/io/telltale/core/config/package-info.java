/**
 * Gateway configuration: YAML read into immutable records and validated once, with errors that name the field and the value expected.
 */
package io.telltale.core.config;
