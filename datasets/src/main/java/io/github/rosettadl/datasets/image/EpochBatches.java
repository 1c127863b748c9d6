package io.github.rosettadl.datasets.image;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.util.Progress;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DJL data set whose batches are built in bulk, in an order fixed by (seed, epoch), so a resumed
 * run sees the same batches as an uninterrupted one. {@link #getData(NDManager)} walks epochs 0, 1,
 * 2, ... on successive calls, as DJL's loops expect.
 */
public abstract class EpochBatches extends RandomAccessDataset {

    /** Examples per full batch. */
    protected final int batchSize;

    private final AtomicInteger nextEpoch = new AtomicInteger();

    /**
     * Sets up the sampling DJL records for the data set.
     *
     * @param batchSize examples per full batch; subclasses reject values below 1
     * @param shuffle whether epochs visit the examples in a seeded random order
     */
    protected EpochBatches(int batchSize, boolean shuffle) {
        super(new Builder().setSampling(Math.max(batchSize, 1), shuffle));
        this.batchSize = batchSize;
    }

    /**
     * The batches of one epoch, in the order fixed by (seed, epoch).
     *
     * @param manager the manager whose device the arrays go to; each batch gets a sub-manager
     * @param epoch the epoch, from 0
     * @return the batches; each call to {@code iterator()} walks the same epoch anew
     */
    public abstract Iterable<Batch> epoch(NDManager manager, int epoch);

    /**
     * The next epoch's batches: epoch 0 on the first call, then 1, 2, and so on.
     *
     * @param manager the manager whose device the arrays go to
     * @return the batches of that epoch
     */
    @Override
    public final Iterable<Batch> getData(NDManager manager) {
        return epoch(manager, nextEpoch.getAndIncrement());
    }

    /**
     * As {@link #getData(NDManager)}; batches are cheap enough to build on the calling thread, so
     * the executor is not used.
     *
     * @param manager the manager whose device the arrays go to
     * @param executorService ignored
     * @return the batches of the next epoch
     */
    @Override
    public final Iterable<Batch> getData(NDManager manager, ExecutorService executorService) {
        return getData(manager);
    }

    /**
     * Batches per epoch, counting the last partial one.
     *
     * @return {@code ceil(size / batchSize)}
     */
    public int numBatches() {
        return Math.toIntExact((availableSize() + batchSize - 1) / batchSize);
    }

    /**
     * Examples per full batch.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /** Nothing to prepare: the data is already in memory. */
    @Override
    public void prepare(Progress progress) {
        // loaded eagerly before the batches are made
    }

    private static final class Builder extends BaseBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
