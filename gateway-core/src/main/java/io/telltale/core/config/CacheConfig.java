package io.telltale.core.config;

/**
 * The shared cache's global bounds.
 *
 * @param maxSize the most bytes of stored objects, headers and bodies together
 */
public record CacheConfig(@Default("256MiB") DataSize maxSize) {
}
