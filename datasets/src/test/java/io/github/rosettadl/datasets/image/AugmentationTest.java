package io.github.rosettadl.datasets.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;

import io.github.rosettadl.datasets.testing.TinyImages;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Shifts and flips: every output is the input moved within range, zero-filled, and reproducible. */
class AugmentationTest {

    private static final int SIDE = 5;

    @Test
    void everyOutputIsTheImageShiftedWithinRangeAndAllShiftsOccur() {
        Set<String> seen = new HashSet<>();
        ImageMetadata metadata = TinyImages.metadata(2, SIDE, SIDE, 3);
        byte[] image = distinctPixels(metadata.imageBytes());
        byte[] out = new byte[image.length];
        SplittableRandom random = new SplittableRandom(7);
        for (int draw = 0; draw < 2000; draw++) {
            new Augmentation(2, true).apply(image, 0, metadata, random, out);
            String match = matchingTransform(image, out, metadata, 2);
            assertNotNull(match, "draw " + draw + " is not a shift of at most 2 pixels, with or without a flip");
            seen.add(match);
        }
        assertEquals(5 * 5 * 2, seen.size(), "every shift, mirrored and not, should occur: " + seen);
    }

    @Test
    void withoutFlipNoImageIsMirrored() {
        ImageMetadata metadata = TinyImages.metadata(1, SIDE, SIDE, 3);
        byte[] image = distinctPixels(metadata.imageBytes());
        byte[] out = new byte[image.length];
        SplittableRandom random = new SplittableRandom(3);
        for (int draw = 0; draw < 500; draw++) {
            new Augmentation(1, false).apply(image, 0, metadata, random, out);
            String match = matchingTransform(image, out, metadata, 1);
            assertNotNull(match);
            assertTrue(match.endsWith("false"), match);
        }
    }

    @Test
    void augmentedEpochsKeepTheOrderAndRepeatForTheSameSeedAndEpoch() {
        ImageMetadata metadata = TinyImages.metadata(3, 6, 6, 5);
        ImageSplit split = TinyImages.split(metadata, 40);
        ImageBatches plain = split.batches(16, true, 11, Normalization.DIVIDE_255);
        ImageBatches augmented = split.augmentedBatches(16, 11, Normalization.DIVIDE_255, new Augmentation(2, true));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Epoch first = read(augmented, manager, 1);
            assertArrayEquals(read(plain, manager, 1).labels(), first.labels(), "augmentation must not change the order");
            assertArrayEquals(first.pixels(), read(augmented, manager, 1).pixels(), "same seed and epoch, same images");
            assertFalse(Arrays.equals(first.pixels(), read(augmented, manager, 2).pixels()));
            assertFalse(Arrays.equals(first.pixels(), read(plain, manager, 1).pixels()));
        }
    }

    @Test
    void negativeShiftIsRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, false));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertTrue(Augmentation.NONE.isNone());
    }

    private record Epoch(float[] pixels, long[] labels) {
    }

    private static Epoch read(ImageBatches batches, NDManager manager, int epoch) {
        List<float[]> pixels = new ArrayList<>();
        List<long[]> labels = new ArrayList<>();
        for (Batch batch : batches.epoch(manager, epoch)) {
            try (batch) {
                pixels.add(batch.getData().head().toFloatArray());
                labels.add(batch.getLabels().head().toLongArray());
            }
        }
        return new Epoch(concat(pixels), pixels.isEmpty() ? new long[0]
                : labels.stream().flatMapToLong(Arrays::stream).toArray());
    }

    private static float[] concat(List<float[]> parts) {
        float[] all = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static byte[] distinctPixels(int n) {
        byte[] image = new byte[n];
        for (int i = 0; i < n; i++) {
            image[i] = (byte) (i + 1);
        }
        return image;
    }

    /** The "dy,dx,flip" that turns {@code in} into {@code out}, or null when none does. */
    private static String matchingTransform(byte[] in, byte[] out, ImageMetadata m, int maxShift) {
        for (int dy = -maxShift; dy <= maxShift; dy++) {
            for (int dx = -maxShift; dx <= maxShift; dx++) {
                for (boolean flip : new boolean[] {false, true}) {
                    if (Arrays.equals(out, transform(in, m, dy, dx, flip))) {
                        return dy + "," + dx + "," + flip;
                    }
                }
            }
        }
        return null;
    }

    /** The reference: out(c, y, x) = in(c, y + dy, (flip ? W-1-x : x) + dx), zero outside. */
    private static byte[] transform(byte[] in, ImageMetadata m, int dy, int dx, boolean flip) {
        int h = m.height();
        int w = m.width();
        byte[] out = new byte[in.length];
        for (int c = 0; c < m.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sy = y + dy;
                    int sx = (flip ? w - 1 - x : x) + dx;
                    if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                        out[c * h * w + y * w + x] = in[c * h * w + sy * w + sx];
                    }
                }
            }
        }
        return out;
    }
}
