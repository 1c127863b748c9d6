package io.github.rosettadl.examples;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;

import io.github.rosettadl.core.privacy.PoissonSampler;
import io.github.rosettadl.core.training.EpochSource;
import io.github.rosettadl.datasets.image.ImageMetadata;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.image.Normalization;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Training batches drawn by Poisson sampling, as DP-SGD's accountant assumes: each step's batch holds
 * every image independently with probability q ({@link PoissonSampler}), converted exactly as
 * {@link ImageSplit#batches} converts them. An empty batch is a batch of no images.
 */
public final class PoissonImageSource implements EpochSource {

    private final ImageSplit split;
    private final PoissonSampler sampler;
    private final Normalization normalization;

    /**
     * Batches of a split drawn by a sampler.
     *
     * @param split the training images
     * @param sampler which images join each step's batch; its data-set size is the split's
     * @param normalization how pixels become floats
     */
    public PoissonImageSource(ImageSplit split, PoissonSampler sampler, Normalization normalization) {
        this.split = split;
        this.sampler = sampler;
        this.normalization = normalization;
    }

    @Override
    public Iterable<Batch> batches(NDManager manager, int epoch) {
        return () -> new Iterator<>() {
            private int step;

            @Override
            public boolean hasNext() {
                return step < sampler.stepsPerEpoch();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has " + sampler.stepsPerEpoch() + " steps");
                }
                int[] chosen = sampler.sample(epoch, step++);
                return chosen.length == 0 ? empty(manager) : batchOf(manager, chosen);
            }
        };
    }

    private Batch batchOf(NDManager manager, int[] chosen) {
        ImageMetadata m = split.metadata();
        int imageBytes = m.imageBytes();
        byte[] pixels = new byte[chosen.length * imageBytes];
        byte[] labels = new byte[chosen.length];
        for (int k = 0; k < chosen.length; k++) {
            System.arraycopy(split.pixels(), chosen[k] * imageBytes, pixels, k * imageBytes, imageBytes);
            labels[k] = split.labels()[chosen[k]];
        }
        // one in-order batch of the chosen images, through the same conversion as every other batch
        ImageSplit drawn = new ImageSplit(m, pixels, labels);
        return drawn.batches(chosen.length, false, 0, normalization).epoch(manager, 0).iterator().next();
    }

    private Batch empty(NDManager manager) {
        ImageMetadata m = split.metadata();
        NDManager batchManager = manager.newSubManager();
        return new Batch(batchManager,
                new NDList(batchManager.zeros(new Shape(0, m.channels(), m.height(), m.width()), DataType.FLOAT32)),
                new NDList(batchManager.zeros(new Shape(0), DataType.INT64)), 0, Batchifier.STACK, Batchifier.STACK,
                0, split.size(), List.of());
    }
}
