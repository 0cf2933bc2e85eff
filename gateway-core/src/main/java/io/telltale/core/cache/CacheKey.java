package io.telltale.core.cache;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Identifies a stored response: site, scheme, lower-case host, path, the key's query and request
 * header values, and (for a response with {@code Vary}) the variant.
 *
 * <p>The method is not part of the key: HEAD is answered from what GET stored. The key is held as one byte
 * array (each part UTF-8 with its length before it), the form the disk tier writes too; the parts are decoded
 * only when asked for, which the request path never does.
 */
public final class CacheKey {
    private static final int PARTS = 6;

    private final byte[] bytes;
    private final int primaryLength;
    private final int hash;

    CacheKey(String site, String scheme, String host, String path, String query, String headers, String variant) {
        byte[][] parts = {utf8(site), utf8(scheme), utf8(host), utf8(path), utf8(query), utf8(headers),
            variant == null ? null : utf8(variant)};
        int size = 0;
        for (byte[] part : parts) {
            size += part == null ? 0 : part.length + 5;
        }
        byte[] out = new byte[size];
        int position = 0;
        int primaryEnd = 0;
        for (int i = 0; i < parts.length; i++) {
            if (i == PARTS) {
                primaryEnd = position;
            }
            if (parts[i] != null) {
                position = writePart(out, position, parts[i]);
            }
        }
        this.bytes = position == size ? out : Arrays.copyOf(out, position);
        this.primaryLength = variant == null ? position : primaryEnd;
        this.hash = Arrays.hashCode(bytes);
    }

    private CacheKey(byte[] bytes, int primaryLength) {
        this.bytes = bytes;
        this.primaryLength = primaryLength;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Returns the key these bytes (from {@link #bytes()}) encode, or null when they are not a whole key. */
    static CacheKey fromBytes(byte[] bytes) {
        int position = 0;
        for (int i = 0; i < PARTS; i++) {
            position = skipPart(bytes, position);
            if (position < 0) {
                return null;
            }
        }
        int primaryEnd = position;
        if (position < bytes.length && skipPart(bytes, position) != bytes.length) {
            return null;
        }
        return new CacheKey(bytes, primaryEnd);
    }

    /** Returns the site's name. */
    public String site() {
        return part(0);
    }

    /** Returns the scheme, {@code http} or {@code https}. */
    public String scheme() {
        return part(1);
    }

    /** Returns the host, lower-case and without a port. */
    public String host() {
        return part(2);
    }

    /** Returns the path. */
    public String path() {
        return part(3);
    }

    /** Returns the query as the key sees it: filtered, sorted, without the {@code ?}; empty when none. */
    public String query() {
        return part(4);
    }

    /** Returns the values of the site's key headers, or empty when it has none. */
    public String headers() {
        return part(5);
    }

    /** Returns the normalised values of the request headers named by {@code Vary}, or null for the primary key. */
    public String variant() {
        return primaryLength == bytes.length ? null : part(PARTS);
    }

    /** Returns the key's bytes; the caller must not change them. */
    byte[] bytes() {
        return bytes;
    }

    /** Returns the bytes the key holds, with the array's header, for the cache's accounting. */
    int footprint() {
        return bytes.length + 16;
    }

    /** Returns the key of the variant with these normalised request header values. */
    CacheKey withVariant(String values) {
        byte[] variant = utf8(values);
        byte[] out = Arrays.copyOf(bytes, primaryLength + variant.length + 5);
        int end = writePart(out, primaryLength, variant);
        return new CacheKey(end == out.length ? out : Arrays.copyOf(out, end), primaryLength);
    }

    /** Returns the primary key that this variant key belongs to. */
    CacheKey primary() {
        return primaryLength == bytes.length ? this : new CacheKey(Arrays.copyOf(bytes, primaryLength), primaryLength);
    }

    /** Returns whether this key shares the primary key's URI and key headers with the other key. */
    boolean samePrimary(CacheKey other) {
        return Arrays.equals(bytes, 0, primaryLength, other.bytes, 0, other.primaryLength);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        String query = query();
        String headers = headers();
        String variant = variant();
        return site() + ' ' + scheme() + "://" + host() + path() + (query.isEmpty() ? "" : "?" + query)
                + (headers.isEmpty() ? "" : " [" + headers + ']') + (variant == null ? "" : " {" + variant + '}');
    }

    private String part(int index) {
        int position = 0;
        for (int i = 0; i < index; i++) {
            position = skipPart(bytes, position);
        }
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = bytes[position++];
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return new String(bytes, position, length, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String part) {
        return Objects.requireNonNull(part, "part").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes a part's length and bytes at {@code position}; returns the position after them. */
    private static int writePart(byte[] out, int position, byte[] part) {
        int length = part.length;
        while (length >= 0x80) {
            out[position++] = (byte) (length & 0x7f | 0x80);
            length >>>= 7;
        }
        out[position++] = (byte) length;
        System.arraycopy(part, 0, out, position, part.length);
        return position + part.length;
    }

    /** Returns the position after the part at {@code position}, or -1 when the bytes end first. */
    private static int skipPart(byte[] bytes, int position) {
        int length = 0;
        int shift = 0;
        int b;
        do {
            if (position >= bytes.length || shift > 28) {
                return -1;
            }
            b = bytes[position++];
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return length < 0 || length > bytes.length - position ? -1 : position + length;
    }
}
