package io.telltale.core.config;

/**
 * A size in bytes, written in config as {@code 512}, {@code 64KiB}, {@code 8MiB} or {@code 1GiB}.
 *
 * @param bytes the size in bytes
 */
public record DataSize(long bytes) {
    /** Returns a size of this many bytes. */
    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    /** Returns a size of this many kibibytes. */
    public static DataSize ofKiB(long kib) {
        return new DataSize(kib * 1024);
    }

    /** Returns a size of this many mebibytes. */
    public static DataSize ofMiB(long mib) {
        return new DataSize(mib * 1024 * 1024);
    }

    /** Returns the size as an int, saturating at {@link Integer#MAX_VALUE}. */
    public int toIntBytes() {
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
}
