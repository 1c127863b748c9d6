package io.github.rosettadl.core.testing;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;

import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.training.EpochSource;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * A learnable image classification problem generated in memory: each class has its own random mean
 * image, and every example is its class's mean plus Gaussian noise, in [0, 1]-ish pixels. Batches
 * are cut from one shuffled order that depends only on the seed and the epoch, as the real data
 * sources promise, and each batch owns a sub-manager, as DJL's datasets do.
 */
public final class GeneratedImages implements EpochSource {

    private final ImageShape shape;
    private final int classes;
    private final int batchSize;
    private final long seed;
    private final float[][] means;
    private final float[] pixels;
    private final long[] labels;
    private int poisonedExample = -1;

    /**
     * Generates the examples.
     *
     * @param shape the image shape
     * @param classes the number of classes
     * @param count how many examples
     * @param batchSize the batch size; the last batch may be smaller
     * @param seed fixes the examples and the order of every epoch
     */
    public GeneratedImages(ImageShape shape, int classes, int count, int batchSize, long seed) {
        this.shape = shape;
        this.classes = classes;
        this.batchSize = batchSize;
        this.seed = seed;
        int size = Math.toIntExact(shape.size());
        Random random = new Random(seed);
        means = new float[classes][size];
        for (float[] mean : means) {
            for (int i = 0; i < size; i++) {
                mean[i] = random.nextFloat();
            }
        }
        pixels = new float[count * size];
        labels = new long[count];
        for (int n = 0; n < count; n++) {
            int c = n % classes;
            labels[n] = c;
            for (int i = 0; i < size; i++) {
                pixels[n * size + i] = means[c][i] + 0.5f * (float) random.nextGaussian();
            }
        }
    }

    /**
     * Makes one example's first pixel NaN, to test how training reacts to bad input.
     *
     * @param example the example index
     * @return this source
     */
    public GeneratedImages poison(int example) {
        pixels[example * Math.toIntExact(shape.size())] = Float.NaN;
        poisonedExample = example;
        return this;
    }

    /**
     * The example that comes first in an epoch's order.
     *
     * @param epoch the epoch
     * @return its index
     */
    public int firstExampleOf(int epoch) {
        return order(epoch)[0];
    }

    /**
     * Where the poisoned example lands in an epoch's order.
     *
     * @param epoch the epoch
     * @return the 1-based batch number that holds it
     */
    public int batchOfPoison(int epoch) {
        int[] order = order(epoch);
        for (int i = 0; i < order.length; i++) {
            if (order[i] == poisonedExample) {
                return i / batchSize + 1;
            }
        }
        throw new IllegalStateException("nothing is poisoned");
    }

    /**
     * The number of examples.
     *
     * @return the count
     */
    public int size() {
        return labels.length;
    }

    private int[] order(int epoch) {
        int[] order = new int[labels.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed * 1_000_003L + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Override
    public Iterable<Batch> batches(NDManager manager, int epoch) {
        int[] order = order(epoch);
        int size = Math.toIntExact(shape.size());
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = Math.min(batchSize, order.length - next);
                float[] x = new float[n * size];
                long[] y = new long[n];
                for (int i = 0; i < n; i++) {
                    int example = order[next + i];
                    System.arraycopy(pixels, example * size, x, i * size, size);
                    y[i] = labels[example];
                }
                next += n;
                NDManager batchManager = manager.newSubManager();
                NDList data = new NDList(batchManager.create(x, shape.withBatch(n)));
                NDList label = new NDList(batchManager.create(y, new Shape(n)));
                return new Batch(batchManager, data, label, n, Batchifier.STACK, Batchifier.STACK, next, order.length);
            }
        };
    }

    /**
     * A class's mean image, the noise-free picture of that class.
     *
     * @param c the class
     * @return its pixels, CHW, roughly in [0, 1]
     */
    public float[] mean(int c) {
        return means[c].clone();
    }

    /**
     * The number of classes.
     *
     * @return the class count
     */
    public int classes() {
        return classes;
    }
}
