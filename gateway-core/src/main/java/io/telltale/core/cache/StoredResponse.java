package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One stored response, held compactly: one direct buffer with the status line and fields as a full hit writes
 * them followed by the body, the withheld fields as bytes, and the times and flags the hit path needs, computed
 * at store time. Headers are parsed back out of the encoded form only when a rule asks for them.
 *
 * <p>The store holds one reference; a reader takes one with {@link #tryAcquire()} before slicing the
 * buffer, so an eviction racing a hit can never free it under the reader.
 */
final class StoredResponse implements Slot {
    /** How long past its stale windows an object with validators is kept, so it can still be revalidated. */
    static final long VALIDATION_GRACE_MILLIS = 10 * 60 * 1000;
    /**
     * The heap an entry costs besides its buffer's memory and its key's bytes: this object, the key object,
     * Caffeine's node and map entry, and the buffer's own object (measured: docs/performance.md).
     */
    static final int ENTRY_OVERHEAD = 384;

    private static final int NO_CACHE = 1;
    private static final int FORBIDS_STALE = 2;
    private static final int HAS_ETAG = 4;
    private static final int HAS_LAST_MODIFIED = 8;

    private static final AtomicIntegerFieldUpdater<StoredResponse> REFS =
            AtomicIntegerFieldUpdater.newUpdater(StoredResponse.class, "refs");
    private static final AtomicLongFieldUpdater<StoredResponse> REVALIDATION =
            AtomicLongFieldUpdater.newUpdater(StoredResponse.class, "revalidationStartedAt");
    private static final AgeMemo NEVER_SERVED = new AgeMemo(-1, "", null);

    final CacheKey key;
    final HttpResponseStatus status;
    /** The encoded head ({@link #headLength} bytes) followed by the body, or the head alone when the body is on disk. */
    private final ByteBuf block;
    /** Where the body is when it is on disk, else null. */
    private final DiskBody disk;
    private final int headLength;
    /** The targeted fields kept from clients as encoded lines (null for none), to read the directives after a 304. */
    private final byte[] withheld;
    final long requestTime;
    final long responseTime;
    final long dateMillis;
    final long correctedInitialAge;
    final long lastModifiedMillis;
    final long freshUntil;
    final long staleWhileRevalidateUntil;
    final long staleIfErrorUntil;
    final long staleIfUnreachableUntil;
    final long keepUntil;
    private final int flags;
    final int weight;

    private volatile int refs = 1;
    private volatile long revalidationStartedAt = CachePolicy.NONE;
    private volatile AgeMemo memo = NEVER_SERVED;

    private StoredResponse(CacheKey key, HttpResponseStatus status, ByteBuf block, int headLength, byte[] withheld,
                           StoredTimes times, int flags, DiskBody disk) {
        this.key = key;
        this.status = status;
        this.block = block;
        this.disk = disk;
        this.headLength = headLength;
        this.withheld = withheld;
        this.requestTime = times.requestTime();
        this.responseTime = times.responseTime();
        this.dateMillis = times.dateMillis();
        this.correctedInitialAge = times.correctedInitialAge();
        this.lastModifiedMillis = times.lastModifiedMillis();
        this.flags = flags;
        this.freshUntil = times.freshUntil();
        this.staleWhileRevalidateUntil = times.staleWhileRevalidateUntil();
        this.staleIfErrorUntil = times.staleIfErrorUntil();
        this.staleIfUnreachableUntil = times.staleIfUnreachableUntil();
        this.keepUntil = times.keepUntil();
        long memory = block.writerIndex() + (long) block.maxFastWritableBytes();
        this.weight = (int) Math.min(Integer.MAX_VALUE,
                memory + (withheld == null ? 0 : withheld.length + 16L) + key.footprint() + ENTRY_OVERHEAD);
    }

    /**
     * Stores an origin response: copies the end-to-end fields less the withheld ones with Content-Length set to
     * the body's length and a valid Date, encodes them, and copies them and {@code chunks} (still the caller's)
     * into one buffer from {@code allocator}. {@code originAgeSeconds} is the Age the origin sent.
     */
    static StoredResponse of(CacheKey key, HttpResponseStatus status, HttpHeaders originHeaders, List<ByteBuf> chunks,
                             long size, long requestTime, long responseTime, long originAgeSeconds, SitePolicy site,
                             ByteBufAllocator allocator) {
        Encoded encoded = Encoded.of(status, originHeaders, size, requestTime, responseTime, originAgeSeconds, site);
        // Asked without an upper bound, the pool says how much memory the buffer really takes (see the constructor).
        ByteBuf block = allocator.directBuffer((int) (encoded.head.length + size));
        block.writeBytes(encoded.head);
        for (ByteBuf chunk : chunks) {
            block.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
        }
        return new StoredResponse(key, status, block, encoded.head.length, encoded.withheld, encoded.times,
                encoded.flags, null);
    }

    /**
     * Returns the head of an origin response whose {@code size}-byte body was streamed into an object file: what
     * {@link #of} would store, less the body (the head alone, on the heap), to write the file's tail.
     */
    static StoredResponse headOnly(CacheKey key, HttpResponseStatus status, HttpHeaders originHeaders, long size,
                                   long requestTime, long responseTime, long originAgeSeconds, SitePolicy site) {
        Encoded encoded = Encoded.of(status, originHeaders, size, requestTime, responseTime, originAgeSeconds, site);
        return new StoredResponse(key, status, Unpooled.wrappedBuffer(encoded.head), encoded.head.length,
                encoded.withheld, encoded.times, encoded.flags, null);
    }

    /** What is stored of a response besides its body: the encoded head, the withheld fields, times and flags. */
    private record Encoded(byte[] head, byte[] withheld, StoredTimes times, int flags) {
        static Encoded of(HttpResponseStatus status, HttpHeaders originHeaders, long size, long requestTime,
                          long responseTime, long originAgeSeconds, SitePolicy site) {
            HttpHeaders headers = Headers.endToEnd(originHeaders, false);
            headers.set(HttpHeaderNames.CONTENT_LENGTH, size);
            datedOnArrival(headers, responseTime);
            CacheControl cacheControl = site.targets().directives(headers);
            byte[] withheld = EncodedHead.fields(site.targets().withhold(headers));
            byte[] head = EncodedHead.of(status, headers);
            StoredTimes times = StoredTimes.of(status.code(), cacheControl, headers, requestTime, responseTime,
                    originAgeSeconds, site);
            return new Encoded(head, withheld, times, StoredResponse.flags(cacheControl, headers));
        }
    }

    /**
     * Returns an object read back from an object file: with its body in {@code block} after the head (then it
     * is held in memory like any other), or with {@code disk} saying where the body is (then {@code block} is the
     * head alone, on the heap, for one lookup).
     */
    static StoredResponse restored(DiskFiles.Tail tail, ByteBuf block, DiskBody disk) {
        return new StoredResponse(tail.key(), tail.status(), block, tail.head().length, tail.withheld(), tail.times(),
                tail.flags(), disk);
    }

    private static int flags(CacheControl cacheControl, HttpHeaders headers) {
        return (cacheControl.noCache ? NO_CACHE : 0) | (cacheControl.forbidsStale() ? FORBIDS_STALE : 0)
                | (headers.contains(HttpHeaderNames.ETAG) ? HAS_ETAG : 0)
                | (headers.contains(HttpHeaderNames.LAST_MODIFIED) ? HAS_LAST_MODIFIED : 0);
    }

    /**
     * Returns this response updated by a 304 (RFC 9111 §4.3.4): its end-to-end fields replace the stored
     * ones except Content-Length; a body in memory is copied into the new object, one on disk stays where it is
     * (see {@link DiskTier#refreshHead}). The caller must hold a reference.
     */
    StoredResponse refreshed(HttpHeaders notModified, long requestTime, long responseTime, SitePolicy site,
                             ByteBufAllocator allocator) {
        HttpHeaders update = Headers.endToEnd(notModified, false);
        HttpHeaders merged = EncodedHead.parse(withheld, headers());
        Iterator<Map.Entry<CharSequence, CharSequence>> names = update.iteratorCharSequence();
        while (names.hasNext()) {
            merged.remove(names.next().getKey());
        }
        merged.add(update);
        if (!update.contains(HttpHeaderNames.DATE)) {
            merged.remove(HttpHeaderNames.DATE);
        }
        if (disk != null) {
            // The body stays in its file: only the head is new (the tier rewrites the file around the same body).
            Encoded encoded = Encoded.of(status, merged, disk.length(), requestTime, responseTime,
                    CachePolicy.ageSeconds(notModified), site);
            return new StoredResponse(key, status, Unpooled.wrappedBuffer(encoded.head), encoded.head.length,
                    encoded.withheld, encoded.times, encoded.flags, disk);
        }
        ByteBuf body = retainedBody();
        try {
            return of(key, status, merged, List.of(body), body.readableBytes(), requestTime, responseTime,
                    CachePolicy.ageSeconds(notModified), site, allocator);
        } finally {
            body.release();
        }
    }

    /** A response without a valid Date is dated when it arrived (RFC 9110 §6.6.1), so that hits send a true one. */
    private static void datedOnArrival(HttpHeaders headers, long responseTime) {
        if (HttpDate.field(headers, HttpHeaderNames.DATE, responseTime) == HttpDate.INVALID) {
            headers.set(HttpHeaderNames.DATE, HttpDate.format(responseTime));
        }
    }

    /** Takes a reference unless the store already dropped the last one; never throws. */
    boolean tryAcquire() {
        for (;;) {
            int current = refs;
            if (current <= 0) {
                return false;
            }
            if (REFS.compareAndSet(this, current, current + 1)) {
                return true;
            }
        }
    }

    @Override
    public void release() {
        if (REFS.decrementAndGet(this) == 0) {
            block.release();
        }
    }

    /** Returns the stored fields, parsed from their encoded form into new headers the caller may change. */
    HttpHeaders headers() {
        return EncodedHead.parse(block.slice(0, headLength), true, Headers.newHeaders());
    }

    /** Returns the status line and stored fields as a full hit writes them: a retained slice. Hold a reference. */
    ByteBuf retainedHead() {
        return block.retainedSlice(0, headLength);
    }

    /**
     * Returns the body: a retained slice of the stored buffer, or for a body on disk a buffer read from the file
     * (null when it cannot be read). Hold a reference.
     */
    ByteBuf retainedBody() {
        return disk != null ? disk.read(block) : block.retainedSlice(headLength, (int) bodyLength());
    }

    /** Returns part of a body held in memory: a retained slice of the stored buffer. Hold a reference. */
    ByteBuf retainedBody(int first, int length) {
        return block.retainedSlice(headLength + first, length);
    }

    /** Returns the body's length in bytes. */
    long bodyLength() {
        return disk != null ? disk.length() : block.writerIndex() - headLength;
    }

    /** Returns where the body is on disk, or null when it is held in memory. */
    DiskBody disk() {
        return disk;
    }

    /** Returns a memory-held body for writing it to a file. Hold a reference. */
    ByteBuffer bodyNio() {
        return block.nioBuffer(headLength, (int) bodyLength());
    }

    /** Returns a copy of the encoded head. */
    byte[] headBytes() {
        byte[] head = new byte[headLength];
        block.getBytes(0, head);
        return head;
    }

    /** Returns the withheld fields as encoded lines, or null; the caller must not change them. */
    byte[] withheldBytes() {
        return withheld;
    }

    /** Returns the directive and validator flags, as the disk tier keeps them. */
    int flags() {
        return flags;
    }

    /** Returns the first value of a stored field by its lower-case name, or null (also once the store let it go). */
    String field(CharSequence lowerCaseName) {
        if (!tryAcquire()) {
            return null;
        }
        try {
            return EncodedHead.first(block.slice(0, headLength), AsciiString.of(lowerCaseName));
        } finally {
            release();
        }
    }

    /** Returns the stored entity tag, or null. */
    String etag() {
        return (flags & HAS_ETAG) == 0 ? null : field(HttpHeaderNames.ETAG);
    }

    /** Returns the stored Last-Modified value, or null. */
    String lastModified() {
        return (flags & HAS_LAST_MODIFIED) == 0 ? null : field(HttpHeaderNames.LAST_MODIFIED);
    }

    /** Returns whether the response said {@code no-cache} for this cache. */
    boolean noCache() {
        return (flags & NO_CACHE) != 0;
    }

    /** Returns whether the response forbids serving it stale (must-revalidate, proxy-revalidate, s-maxage, no-cache). */
    boolean forbidsStale() {
        return (flags & FORBIDS_STALE) != 0;
    }

    /** Returns the current age in milliseconds. */
    long ageMillis(long now) {
        return CachePolicy.currentAgeMillis(correctedInitialAge, responseTime, now);
    }

    /** Returns the times this response is judged by. */
    StoredTimes times() {
        return new StoredTimes(requestTime, responseTime, dateMillis, correctedInitialAge, lastModifiedMillis,
                freshUntil, staleWhileRevalidateUntil, staleIfErrorUntil, staleIfUnreachableUntil, keepUntil);
    }

    /** Returns whether the response is fresh at this time. */
    boolean isFresh(long now) {
        return now < freshUntil;
    }

    /** Returns whether this response has a validator to revalidate it with. */
    boolean hasValidator() {
        return (flags & (HAS_ETAG | HAS_LAST_MODIFIED)) != 0;
    }

    /**
     * Claims the one background revalidation of this object; a claim older than {@code staleAfterMillis}
     * is taken over, so a revalidation that never reported back does not block the next.
     */
    boolean claimRevalidation(long now, long staleAfterMillis) {
        long started = revalidationStartedAt;
        if (started != CachePolicy.NONE && now - started < staleAfterMillis) {
            return false;
        }
        return REVALIDATION.compareAndSet(this, started, now);
    }

    /** Returns the Age value and the hit's Cache-Status for this time, reusing them within the same second. */
    AgeMemo ageMemo(long now) {
        long age = ageMillis(now) / 1000;
        AgeMemo current = memo;
        if (current.age() == age) {
            return current;
        }
        long ttl = Math.floorDiv(freshUntil - now, 1000);
        AgeMemo next = new AgeMemo(age, Long.toString(age), CacheStatus.hit(ttl));
        memo = next;
        return next;
    }

    @Override
    public long keepUntil() {
        return keepUntil;
    }

    @Override
    public int weight() {
        return weight;
    }

    /**
     * The per-second strings of a hit.
     *
     * @param age the Age in seconds
     * @param ageText the Age header value
     * @param hit the Cache-Status of a fresh hit at that age
     */
    record AgeMemo(long age, String ageText, CacheStatus hit) {
    }
}
