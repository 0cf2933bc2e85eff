package io.telltale.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiskTierSizeTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    @Test
    void countsEachObjectAsAtLeastItsShareOfTheObjectsTheHeapCanIndex() {
        // 512 MiB of heap: a quarter of it indexes 524,288 objects of 256 bytes each.
        assertThat(DiskTier.minWeight(10 * GIB, 512 * MIB)).isEqualTo(20_480);
        assertThat(10 * GIB / DiskTier.minWeight(10 * GIB, 512 * MIB) * DiskTier.INDEX_BYTES_PER_OBJECT)
                .as("the index of a full tier of small objects").isLessThanOrEqualTo(128 * MIB);
    }

    @Test
    void leavesObjectsTheirOwnWeightWhenTheHeapCanIndexAllOfThem() {
        assertThat(DiskTier.minWeight(256 * MIB, 4 * GIB)).isEqualTo(64);
        assertThat(DiskTier.minWeight(MIB, 512 * MIB)).isEqualTo(2);
        assertThat(DiskTier.minWeight(1024, 16 * MIB)).isEqualTo(1);
    }
}
