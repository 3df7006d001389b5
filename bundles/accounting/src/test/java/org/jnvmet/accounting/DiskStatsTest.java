package org.jnvmet.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DiskStatsTest {

    @Test
    void lineHasTheKernelColumnLayout() {
        DiskStats s = new DiskStats(259, 3, "nvme0n1", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
        assertEquals(" 259       3 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", s.toDiskstatsLine());
        assertEquals(s, DiskStats.parse(s.toDiskstatsLine()));
    }

    @Test
    void timeFieldsWrapAt32BitsLikeTheKernelsUnsignedInt() {
        long big = (1L << 32) + 5;
        DiskStats s = new DiskStats(0, 0, "d", big, 0, big, big, 0, 0, 0, 0, 0, big, 0, 0, 0, 0, 0, 0, 0);
        assertEquals("   0       0 d 4294967301 0 4294967301 5 0 0 0 0 0 5 0 0 0 0 0 0 0", s.toDiskstatsLine());
    }

    @Test
    void parsesTheLayoutsOfOlderKernels() {
        DiskStats pre418 = DiskStats.parse(
                "   8       0 sda 33167 3812 1124805 428735 28338 77604 850432 3304811 0 384521 3733854");
        assertEquals(8, pre418.major());
        assertEquals("sda", pre418.name());
        assertEquals(1124805, pre418.sectorsRead());
        assertEquals(3733854, pre418.weightedIoTimeMs());
        assertEquals(0, pre418.discardsCompleted());
        DiskStats pre55 = DiskStats.parse(" 259 0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
        assertEquals(15, pre55.discardTimeMs());
        assertEquals(0, pre55.flushesCompleted());
        assertThrows(IllegalArgumentException.class, () -> DiskStats.parse("8 0 sda 1 2 3"));
        assertThrows(NumberFormatException.class,
                () -> DiskStats.parse("8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 x"));
    }

    @Test
    void whitespaceInANameCannotSplitTheColumns() {
        DiskStats s = new DiskStats(0, 1, "my disk\t1", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        DiskStats back = DiskStats.parse(s.toDiskstatsLine());
        assertEquals("my_disk_1", back.name());
        assertEquals(1, back.readsCompleted());
    }
}
