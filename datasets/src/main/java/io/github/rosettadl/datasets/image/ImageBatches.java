package io.github.rosettadl.datasets.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import ai.djl.translate.Batchifier;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * An {@link ImageSplit} as a DJL data set. Each batch is built in bulk: the uint8 bytes of its
 * images are gathered into one buffer, become one NDArray, and are converted to float32 and
 * normalised by the engine; training batches may first shift and mirror each image ({@link Augmentation}).
 * Data is one float32 (N, C, H, W) array, NCHW-contiguous, on the
 * manager's device; labels are one int64 (N) array. The last, partial batch is kept.
 *
 * <p>The visiting order of epoch k depends only on (seed, k): {@link #epoch(NDManager, int)}
 * gives epoch k directly, and {@link #getData(NDManager)} gives epochs 0, 1, 2, ... on successive
 * calls. Each {@link Batch} owns its arrays: close it when done.
 */
public final class ImageBatches extends EpochBatches {

    private final ImageSplit split;
    private final boolean shuffle;
    private final long seed;
    private final Normalization normalization;
    private final Augmentation augmentation;

    ImageBatches(ImageSplit split, int batchSize, boolean shuffle, long seed, Normalization normalization,
            Augmentation augmentation) {
        super(batchSize, shuffle);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.split = split;
        this.shuffle = shuffle;
        this.seed = seed;
        this.normalization = normalization;
        this.augmentation = augmentation;
    }

    /**
     * The batches of one epoch, in the order fixed by (seed, epoch).
     *
     * @param manager the manager whose device the arrays go to; each batch gets a sub-manager
     * @param epoch the epoch, from 0
     * @return the batches; each call to {@code iterator()} walks the same epoch anew
     */
    @Override
    public Iterable<Batch> epoch(NDManager manager, int epoch) {
        int n = split.size();
        return () -> new EpochIterator(manager, shuffle ? EpochOrder.shuffled(n, seed, epoch) : null,
                augmentation.isNone() ? null : EpochOrder.augmentationRandom(seed, epoch));
    }

    /**
     * One image and its label, for inspection: float32 (C, H, W) normalised as the batches, and
     * an int64 scalar.
     *
     * @param manager the manager that owns the arrays
     * @param index the image index
     * @return the record
     */
    @Override
    public Record get(NDManager manager, long index) {
        int i = Math.toIntExact(index);
        ImageMetadata m = split.metadata();
        ByteBuffer buffer = manager.allocateDirect(m.imageBytes());
        buffer.put(split.pixels(), i * m.imageBytes(), m.imageBytes()).flip();
        NDArray image = toFloat(manager, buffer, new Shape(m.channels(), m.height(), m.width()));
        NDArray label = manager.create((long) split.label(i));
        return new Record(new NDList(image), new NDList(label));
    }

    /**
     * How many images there are.
     *
     * @return the split's size
     */
    @Override
    public long availableSize() {
        return split.size();
    }

    /**
     * The split these batches come from.
     *
     * @return the split
     */
    public ImageSplit split() {
        return split;
    }

    /** Converts uint8 bytes in {@code buffer} to normalised float32, all in the engine. */
    private NDArray toFloat(NDManager manager, ByteBuffer buffer, Shape shape) {
        NDArray x;
        try (NDArray bytes = manager.create(buffer, shape, DataType.UINT8)) {
            x = bytes.toType(DataType.FLOAT32, false);
        }
        if (normalization == Normalization.DIVIDE_255) {
            return x.divi(255f);
        }
        ImageMetadata m = split.metadata();
        float[] mean = m.mean();
        float[] std = m.std();
        float[] scale = new float[m.channels()];
        float[] shift = new float[m.channels()];
        for (int c = 0; c < scale.length; c++) {
            // (x / 255 - mean) / std as one multiply and one add
            scale[c] = 1f / (255f * std[c]);
            shift[c] = -mean[c] / std[c];
        }
        Shape perChannel = new Shape(m.channels(), 1, 1);
        try (NDArray a = manager.create(scale, perChannel); NDArray b = manager.create(shift, perChannel)) {
            return x.muli(a).addi(b);
        }
    }

    private final class EpochIterator implements Iterator<Batch> {

        private final NDManager manager;
        private final int[] order;
        private final ByteBuffer pixelBuffer;
        private final ByteBuffer labelBuffer;
        private final SplittableRandom random;
        private final byte[] augmented;
        private int next;

        EpochIterator(NDManager manager, int[] order, SplittableRandom random) {
            this.manager = manager;
            this.order = order;
            this.random = random;
            this.augmented = random == null ? null : new byte[split.metadata().imageBytes()];
            int capacity = Math.min(batchSize, Math.max(split.size(), 1));
            // reused for every batch: each batch's uint8 array is converted and freed before the next fill
            this.pixelBuffer = ByteBuffer.allocateDirect(capacity * split.metadata().imageBytes())
                    .order(ByteOrder.nativeOrder());
            this.labelBuffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
        }

        @Override
        public boolean hasNext() {
            return next < split.size();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch finished after " + numBatches() + " batches");
            }
            int from = next;
            int to = Math.min(from + batchSize, split.size());
            next = to;
            List<Long> indices = gather(from, to);
            ImageMetadata m = split.metadata();
            int n = to - from;
            NDManager batchManager = manager.newSubManager();
            try {
                NDArray data = toFloat(batchManager, pixelBuffer, new Shape(n, m.channels(), m.height(), m.width()));
                NDArray labels;
                try (NDArray bytes = batchManager.create(labelBuffer, new Shape(n), DataType.UINT8)) {
                    labels = bytes.toType(DataType.INT64, false);
                }
                return new Batch(batchManager, new NDList(data), new NDList(labels), n, Batchifier.STACK,
                        Batchifier.STACK, to, split.size(), indices);
            } catch (RuntimeException e) {
                batchManager.close();
                throw e;
            }
        }

        /** Copies the bytes of records from..to-1 (in epoch order) into the reusable buffers. */
        private List<Long> gather(int from, int to) {
            int imageBytes = split.metadata().imageBytes();
            byte[] pixels = split.pixels();
            byte[] labels = split.labels();
            pixelBuffer.clear();
            labelBuffer.clear();
            List<Long> indices = new ArrayList<>(to - from);
            if (order == null && random == null) {
                pixelBuffer.put(pixels, from * imageBytes, (to - from) * imageBytes);
                labelBuffer.put(labels, from, to - from);
                for (int i = from; i < to; i++) {
                    indices.add((long) i);
                }
            } else {
                for (int k = from; k < to; k++) {
                    int i = order == null ? k : order[k];
                    if (random == null) {
                        pixelBuffer.put(pixels, i * imageBytes, imageBytes);
                    } else {
                        augmentation.apply(pixels, i * imageBytes, split.metadata(), random, augmented);
                        pixelBuffer.put(augmented);
                    }
                    labelBuffer.put(labels[i]);
                    indices.add((long) i);
                }
            }
            pixelBuffer.flip();
            labelBuffer.flip();
            return indices;
        }
    }
}
