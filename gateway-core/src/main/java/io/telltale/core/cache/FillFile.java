package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * The disk side of a fill whose body is larger than the memory tier keeps: the body streams into an object file
 * as it arrives instead of being held in memory, and the fill's followers read it from there at their own pace.
 * Used by its {@link CacheFill} under the fill's lock.
 */
final class FillFile {
    private final SiteCache site;
    private DiskFill file;

    FillFile(SiteCache site) {
        this.site = site;
    }

    /** Returns the body size up to which the fill holds the body in memory: past it, it streams to disk if it can. */
    long memoryLimit() {
        EdgeCache cache = site.cache();
        return cache.disk() == null ? Long.MAX_VALUE : Math.min(site.policy().maxObjectSize(), cache.memoryObjectLimit());
    }

    /** Returns whether the body streams to disk. */
    boolean active() {
        return file != null;
    }

    /** Returns the largest body the fill may store. */
    long sizeLimit() {
        long max = site.policy().maxObjectSize();
        return file == null ? max : Math.min(max, site.cache().disk().maxSize() - DiskFiles.TRAILER);
    }

    /**
     * Starts streaming the body to disk with the {@code size} bytes already received (still the caller's), which the
     * {@code followers} received too: they read the rest from the file. False, the body staying in memory up to
     * {@code maxObjectSize}, when there is no disk tier or it cannot take the body.
     */
    boolean takeOver(List<ByteBuf> received, List<FillFollower> followers, long size) {
        DiskTier tier = site.cache().disk();
        if (tier == null || size > tier.maxSize() - DiskFiles.TRAILER) {
            return false;
        }
        DiskFill started = tier.startFill();
        if (started == null) {
            return false;
        }
        try {
            for (ByteBuf chunk : received) {
                started.append(chunk);
            }
        } catch (IOException e) {
            started.abandon();
            tier.failed("cannot write an object file", e);
            return false;
        }
        file = started;
        for (FillFollower follower : followers) {
            deliver(follower, size);
        }
        return true;
    }

    /** Appends a piece of the body (still the caller's); false, the file given up, on an I/O error. */
    boolean append(ByteBuf chunk) {
        try {
            file.append(chunk);
            return true;
        } catch (IOException e) {
            abandon();
            site.cache().disk().failed("cannot write an object file", e);
            return false;
        }
    }

    /** Gives the file up: nothing is stored, and its readers learn that the rest will not come. */
    void abandon() {
        if (file != null) {
            file.abandon();
            file = null;
        }
    }

    /** Hands a follower the file to read from byte {@code position} on, when the body streams to disk. */
    void deliver(FillFollower subscriber, long position) {
        if (file == null) {
            return;
        }
        FillBody body = file.body();
        if (!body.retain()) {
            subscriber.abort(new FillAbort(FillAbort.Reason.STALLED, subscriber.headDelivered, 0, null));
            return;
        }
        try {
            subscriber.executor.execute(() -> subscriber.listener.onFile(body, position));
        } catch (RejectedExecutionException e) {
            body.release();
        }
    }

    /**
     * Stores the whole streamed body under the lookup's key, or its variant key when the response varies, in place
     * of any older copy in either tier; returns whether it was stored.
     */
    boolean commit(CacheLookup lookup, HttpResponseStatus status, HttpHeaders headers, long requestTime,
                   long responseTime, long originAgeSeconds) {
        EdgeCache cache = site.cache();
        AsciiString[] vary = VaryNames.of(headers);
        CacheKey key = lookup.primary;
        String variant = null;
        if (vary.length > 0) {
            variant = KeyRecipe.values(vary, lookup.request);
            key = lookup.primary.withVariant(variant);
        }
        StoredResponse head = StoredResponse.headOnly(key, status, headers, file.size(), requestTime, responseTime,
                originAgeSeconds, site.policy());
        try {
            if (!cache.commitToDisk(file, head)) {
                return false;
            }
        } finally {
            head.release();
        }
        if (variant != null) {
            cache.index(lookup.primary, new VaryIndex(vary, ConcurrentHashMap.newKeySet(), head.keepUntil), variant);
        }
        cache.remove(SiteCache.failureKey(lookup.primary));
        cache.stores.increment();
        cache.bytesStored.add(file.size());
        return true;
    }
}
