package io.github.rosettadl.datasets.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.testing.TinyImages;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** Limits, seeded validation splits and class counts of an in-memory split. */
class ImageSplitTest {

    private final ImageMetadata metadata = TinyImages.metadata(3, 2, 2, 4);
    private final ImageSplit split = TinyImages.split(metadata, 50);

    @Test
    void exposesPixelsLabelsAndImages() {
        assertEquals(50, split.size());
        assertEquals(50 * 12, split.pixels().length);
        assertEquals(3, split.label(7));
        assertArrayEquals(new byte[] {35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46}, split.image(7));
        assertArrayEquals(new int[] {13, 13, 12, 12}, split.classCounts());
    }

    @Test
    void limitKeepsTheFirstImages() {
        ImageSplit first = split.limit(10);
        assertEquals(10, first.size());
        assertArrayEquals(Arrays.copyOf(split.pixels(), 120), first.pixels());
        assertArrayEquals(new int[] {3, 3, 2, 2}, first.classCounts());
        assertSame(split, split.limit(50));
        assertSame(split, split.limit(1000));
        assertThrows(IllegalArgumentException.class, () -> split.limit(0));
    }

    @Test
    void validationSplitIsSeededDisjointAndComplete() {
        ImageSplit[] parts = split.splitValidation(12, 7);
        ImageSplit train = parts[0];
        ImageSplit validation = parts[1];
        assertEquals(38, train.size());
        assertEquals(12, validation.size());

        // each image's first byte is 5i mod 256, unique for i < 50: use it to find which image went where
        Set<Integer> seen = new HashSet<>();
        for (ImageSplit part : parts) {
            int previous = -1;
            for (int k = 0; k < part.size(); k++) {
                int original = (part.image(k)[0] & 0xFF) / 5;
                assertTrue(seen.add(original), "image " + original + " is in both parts");
                assertTrue(original > previous, "each part keeps the stored order");
                assertEquals(original % 4, part.label(k));
                previous = original;
            }
        }
        assertEquals(50, seen.size());

        assertArrayEquals(validation.pixels(), split.splitValidation(12, 7)[1].pixels());
        assertFalse(Arrays.equals(validation.pixels(), split.splitValidation(12, 8)[1].pixels()));
    }

    @Test
    void validationCountMustLeaveBothPartsNonEmpty() {
        assertThrows(IllegalArgumentException.class, () -> split.splitValidation(0, 1));
        assertThrows(IllegalArgumentException.class, () -> split.splitValidation(50, 1));
    }

    @Test
    void inconsistentArraysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ImageSplit(metadata, new byte[11], new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new ImageSplit(metadata, new byte[12], new byte[] {4}));
    }

    @Test
    void epochOrderIsAPermutationFixedBySeedAndEpoch() {
        int[] order = EpochOrder.shuffled(1000, 42, 3);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(EpochOrder.identity(1000), sorted);
        assertArrayEquals(order, EpochOrder.shuffled(1000, 42, 3));
        assertNotEquals(Arrays.toString(order), Arrays.toString(EpochOrder.shuffled(1000, 42, 4)));
        assertNotEquals(Arrays.toString(order), Arrays.toString(EpochOrder.shuffled(1000, 43, 3)));
        assertNotEquals(Arrays.toString(order), Arrays.toString(EpochOrder.identity(1000)));
    }

    @Test
    void metadataRejectsInconsistentShapes() {
        assertThrows(IllegalArgumentException.class, () -> new ImageMetadata(ImageDatasetId.MNIST,
                java.util.List.of("a"), 1, 28, 28, new float[] {0.1f, 0.2f}, new float[] {0.3f}));
        assertThrows(IllegalArgumentException.class, () -> new ImageMetadata(ImageDatasetId.MNIST,
                java.util.List.of(), 1, 28, 28, new float[] {0.1f}, new float[] {0.3f}));
        assertEquals(metadata, TinyImages.metadata(3, 2, 2, 4));
        assertEquals(12, metadata.imageBytes());
    }
}
