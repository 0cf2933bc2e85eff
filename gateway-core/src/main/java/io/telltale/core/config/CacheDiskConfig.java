package io.telltale.core.config;

/**
 * The cache's second tier: one file per stored object in a directory, kept across restarts.
 *
 * @param path the directory the objects are kept in, created when missing; one gateway per directory
 * @param maxSize the most bytes of object files; the least recently and frequently used go first
 */
public record CacheDiskConfig(String path, @Default("10GiB") DataSize maxSize) {
}
