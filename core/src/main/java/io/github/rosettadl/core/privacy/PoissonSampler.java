package io.github.rosettadl.core.privacy;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Poisson sampling, the sampling {@link RdpAccountant} assumes: at every step each of the {@code N}
 * examples joins the batch independently with probability {@code q}, so batch sizes vary around
 * {@code q N} and a batch can even be empty. An epoch is {@code ceil(1 / q)} steps, so that it visits
 * {@code N} examples on average, as Opacus's {@code DPDataLoader} (its {@code UniformWithReplacementSampler})
 * does:
 *
 * <pre>{@code
 * # Opacus
 * sampler = UniformWithReplacementSampler(num_samples=60000, sample_rate=256 / 60000)
 * loader = DataLoader(dataset, batch_sampler=sampler)
 * }</pre>
 *
 * <p>A step's batch depends only on (seed, epoch, step), so a run repeats from its seed.
 */
public final class PoissonSampler {

    private final int datasetSize;
    private final double rate;
    private final long seed;

    /**
     * A sampler over {@code datasetSize} examples.
     *
     * @param datasetSize N, at least 1
     * @param rate q, in (0, 1]
     * @param seed the run's seed
     */
    public PoissonSampler(int datasetSize, double rate, long seed) {
        if (datasetSize < 1) {
            throw new IllegalArgumentException("Poisson sampling needs at least one example, got " + datasetSize + ".");
        }
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("The sampling rate must be in (0, 1], got " + rate + ".");
        }
        this.datasetSize = datasetSize;
        this.rate = rate;
        this.seed = seed;
    }

    /**
     * The sampler whose expected batch is {@code batchSize} examples: {@code q = batchSize / N}.
     *
     * @param datasetSize N
     * @param batchSize the expected batch size, 1 to N
     * @param seed the run's seed
     * @return the sampler
     */
    public static PoissonSampler forExpectedBatch(int datasetSize, int batchSize, long seed) {
        if (batchSize < 1 || batchSize > datasetSize) {
            throw new IllegalArgumentException("The expected batch size must be between 1 and the " + datasetSize
                    + " training examples, got " + batchSize + ".");
        }
        return new PoissonSampler(datasetSize, (double) batchSize / datasetSize, seed);
    }

    /**
     * q.
     *
     * @return the sampling rate
     */
    public double rate() {
        return rate;
    }

    /**
     * {@code q N}, what DP-SGD divides the noisy sum by.
     *
     * @return the expected batch size
     */
    public double expectedBatchSize() {
        return rate * datasetSize;
    }

    /**
     * The steps of one epoch, {@code ceil(1 / q)}.
     *
     * @return the number of batches per epoch
     */
    public int stepsPerEpoch() {
        return (int) Math.ceil(1 / rate - 1e-9);
    }

    /**
     * The examples of one step, each drawn independently with probability q.
     *
     * @param epoch the epoch, from 1
     * @param step the step within the epoch, from 0
     * @return the indices, ascending; possibly none
     */
    public int[] sample(int epoch, int step) {
        SplittableRandom random = new SplittableRandom(mix(seed, epoch, step));
        int[] chosen = new int[Math.min(datasetSize, 16 + (int) (2 * rate * datasetSize))];
        int count = 0;
        for (int i = 0; i < datasetSize; i++) {
            if (random.nextDouble() < rate) {
                if (count == chosen.length) {
                    chosen = Arrays.copyOf(chosen, Math.min(datasetSize, 2 * chosen.length));
                }
                chosen[count++] = i;
            }
        }
        return Arrays.copyOf(chosen, count);
    }

    /** A well-spread seed for each (seed, epoch, step): SplittableRandom's own mixing of a combined value. */
    private static long mix(long seed, int epoch, int step) {
        return new SplittableRandom(seed ^ ((long) epoch << 32 | (step & 0xFFFFFFFFL)) * 0x9E3779B97F4A7C15L)
                .nextLong();
    }
}
