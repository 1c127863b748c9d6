package io.github.rosettadl.datasets.image;

import java.util.SplittableRandom;

/**
 * The order in which an epoch visits the records: a pure function of (seed, epoch), so a run
 * resumed at epoch k sees exactly the order the first run would have seen.
 */
public final class EpochOrder {

    private EpochOrder() {
    }

    /**
     * A seeded random permutation of {@code 0..n-1} for one epoch.
     *
     * @param n how many records
     * @param seed the run's seed
     * @param epoch the epoch, from 0
     * @return the record indices in visiting order
     */
    public static int[] shuffled(int n, long seed, int epoch) {
        return shuffle(identity(n), new SplittableRandom(mix(seed, epoch)));
    }

    /**
     * The generator of an epoch's random augmentation, independent of its order's.
     *
     * @param seed the run's seed
     * @param epoch the epoch, from 0
     * @return a generator that depends only on (seed, epoch)
     */
    static SplittableRandom augmentationRandom(long seed, int epoch) {
        return new SplittableRandom(mix(mix64(seed ^ 0x5DEECE66DL), epoch));
    }

    /**
     * The records in their stored order.
     *
     * @param n how many records
     * @return {@code 0, 1, ..., n-1}
     */
    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Fisher-Yates, in place. */
    static int[] shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    // SplittableRandom seeds that differ by its own gamma give shifted copies of one stream; a
    // 64-bit finaliser (Stafford's mix 13) keeps the epochs' streams unrelated.
    private static long mix(long seed, int epoch) {
        return mix64(seed ^ mix64(epoch + 0x632BE59BD9B4E019L));
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
