package io.telltale.server.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The balancing policies' orders, without a network: sequences, shares and hashing stability. */
class OriginPickerTest {
    private static final int KEYS = 20_000;

    @Test
    void roundRobinSpreadsTheHeavyOriginSmoothlyAsNginxDoes() {
        RoundRobinPicker picker = new RoundRobinPicker(new int[] {5, 1, 1});
        StringBuilder firsts = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            firsts.append((char) ('a' + picker.order("")[0]));
        }

        assertThat(firsts.toString()).isEqualTo("aabacaa");
        assertThat(picker.order("")).as("the others follow as fallbacks").hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void leastRequestPrefersTheOriginWithFewerRequestsInFlight() {
        AtomicIntegerArray active = new AtomicIntegerArray(2);
        active.set(0, 10);
        LeastRequestPicker picker = new LeastRequestPicker(new int[] {1, 1}, active);
        int second = 0;
        for (int i = 0; i < 1000; i++) {
            second += picker.order("")[0];
        }

        // Two draws pick the idle origin unless both land on the busy one (a quarter of the time at most).
        assertThat(second).isGreaterThan(700);
    }

    @Test
    void rendezvousHashingMovesOnlyTheRemovedOriginsKeys() {
        RendezvousPicker three = new RendezvousPicker(List.of("a:80:443", "b:80:443", "c:80:443"), new int[] {1, 1, 1});
        RendezvousPicker two = new RendezvousPicker(List.of("a:80:443", "c:80:443"), new int[] {1, 1});
        String[] namesOfTwo = {"a", "c"};
        String[] namesOfThree = {"a", "b", "c"};
        int moved = 0;
        int[] shares = new int[3];
        for (int k = 0; k < KEYS; k++) {
            String key = "/object/" + k;
            String before = namesOfThree[three.order(key)[0]];
            String after = namesOfTwo[two.order(key)[0]];
            shares[three.order(key)[0]]++;
            if (!before.equals("b")) {
                assertThat(after).as(key).isEqualTo(before);
            } else {
                moved++;
            }
        }

        assertThat(moved / (double) KEYS).isCloseTo(1 / 3.0, within(0.02));
        for (int share : shares) {
            assertThat(share / (double) KEYS).isCloseTo(1 / 3.0, within(0.02));
        }
    }

    @Test
    void rendezvousHashingHonoursTheWeights() {
        RendezvousPicker picker = new RendezvousPicker(List.of("a:80:443", "b:80:443"), new int[] {1, 3});
        int heavy = 0;
        for (int k = 0; k < KEYS; k++) {
            heavy += picker.order("key-" + k)[0];
        }

        assertThat(heavy / (double) KEYS).isCloseTo(0.75, within(0.02));
    }

    @Test
    void rendezvousHashingFallsBackInTheSameOrderForTheSameKey() {
        RendezvousPicker picker = new RendezvousPicker(List.of("a:80:443", "b:80:443", "c:80:443"), new int[] {1, 1, 1});

        assertThat(picker.order("/same")).containsExactly(picker.order("/same")).doesNotHaveDuplicates();
    }
}
