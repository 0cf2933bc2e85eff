package io.telltale.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeakDetectionExtensionTest {
    @Test
    void reportsABufferDroppedUnreleased() {
        leakOne();
        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            seen.addAll(LeakDetectionExtension.collectLeaks());
            return !seen.isEmpty();
        });
        assertThat(seen).anySatisfy(leak -> assertThat(leak).startsWith("LEAK"));
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(8);
        leaked.writeByte(1);
    }
}
