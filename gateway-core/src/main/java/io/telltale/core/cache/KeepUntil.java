package io.telltale.core.cache;

import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Keeps each entry of a tier until its own keepUntil, converted from the wall clock to Caffeine's ticker time. */
final class KeepUntil implements Expiry<CacheKey, Slot> {
    private final Clock clock;

    KeepUntil(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long expireAfterCreate(CacheKey key, Slot slot, long currentTime) {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, slot.keepUntil() - clock.millis()));
    }

    @Override
    public long expireAfterUpdate(CacheKey key, Slot slot, long currentTime, long currentDuration) {
        return expireAfterCreate(key, slot, currentTime);
    }

    @Override
    public long expireAfterRead(CacheKey key, Slot slot, long currentTime, long currentDuration) {
        return currentDuration;
    }
}
