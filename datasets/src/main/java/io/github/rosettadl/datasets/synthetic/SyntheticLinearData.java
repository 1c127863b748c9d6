package io.github.rosettadl.datasets.synthetic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.SplittableRandom;

/**
 * Seeded points on the line {@code y = 3x + 2} with Gaussian noise, standing in for the
 * {@code generate_train_data()} and {@code generate_test_data()} that the TensorFlow
 * linear-regression seed calls but never shows.
 *
 * <p>Each x is drawn uniformly from [-1, 1) and each y is {@code 3x + 2 + e} with
 * {@code e ~ N(0, 0.1^2)}. The same seed always gives the same stream of points, and the test
 * set comes from its own stream so that drawing more training batches never changes it.
 */
public final class SyntheticLinearData {

    /** The slope the data is drawn around. */
    public static final float TRUE_WEIGHT = 3.0f;
    /** The intercept the data is drawn around. */
    public static final float TRUE_BIAS = 2.0f;
    /** The standard deviation of the Gaussian noise on y. */
    public static final float NOISE_STD = 0.1f;

    private static final long TEST_STREAM = 0x9E3779B97F4A7C15L;

    private final SplittableRandom trainRandom;
    private final long seed;
    private final int batchSize;

    /**
     * One batch of points.
     *
     * @param x the inputs
     * @param y the noisy targets, one per input
     */
    public record Points(float[] x, float[] y) {

        /**
         * Copies the x values into a 1-D array.
         *
         * @param manager the manager that owns the array
         * @return x as an NDArray of shape (n)
         */
        public NDArray x(NDManager manager) {
            return manager.create(x);
        }

        /**
         * Copies the y values into a 1-D array.
         *
         * @param manager the manager that owns the array
         * @return y as an NDArray of shape (n)
         */
        public NDArray y(NDManager manager) {
            return manager.create(y);
        }
    }

    /**
     * Creates a generator.
     *
     * @param seed the seed for both the training and the test stream
     * @param batchSize the number of points each {@link #generateTrainData()} call returns
     */
    public SyntheticLinearData(long seed, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.seed = seed;
        this.batchSize = batchSize;
        this.trainRandom = new SplittableRandom(seed);
    }

    /**
     * The next training batch, as the seed's {@code generate_train_data()}.
     *
     * @return {@code batchSize} fresh points
     */
    public Points generateTrainData() {
        return draw(trainRandom, batchSize);
    }

    /**
     * The held-out points, as the seed's {@code generate_test_data()}: the same for a given seed,
     * however many training batches were drawn before.
     *
     * @param count how many points
     * @return the test points
     */
    public Points generateTestData(int count) {
        return draw(new SplittableRandom(seed ^ TEST_STREAM), count);
    }

    private static Points draw(SplittableRandom random, int count) {
        float[] x = new float[count];
        float[] y = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) random.nextDouble(-1.0, 1.0);
            y[i] = TRUE_WEIGHT * x[i] + TRUE_BIAS + (float) (gaussian(random) * NOISE_STD);
        }
        return new Points(x, y);
    }

    // SplittableRandom has no nextGaussian on Java 17; Box-Muller keeps the stream seedable.
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
