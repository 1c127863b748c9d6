package io.github.rosettadl.datasets.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import ai.djl.translate.Batchifier;

import io.github.rosettadl.datasets.image.EpochBatches;
import io.github.rosettadl.datasets.image.EpochOrder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Fixed-length character sequences of a {@link TextCorpus} and the character after each, as a
 * DJL data set. Data is one int64 (N, T) array of vocabulary indices, labels one int64 (N) array.
 * Batches are built in bulk from the encoded text. The visiting order of epoch k depends only on
 * (seed, k), as for images; the last partial batch is kept.
 */
public final class SequenceBatches extends EpochBatches {

    private final TextCorpus corpus;
    private final int[] encoded;
    private final int sequenceLength;
    private final int step;
    private final long seed;
    private final int count;

    SequenceBatches(TextCorpus corpus, int[] encoded, int sequenceLength, int step, int batchSize, long seed,
            int limit) {
        super(batchSize, true);
        if (sequenceLength < 1 || step < 1 || batchSize < 1) {
            throw new IllegalArgumentException("sequenceLength, step and batchSize must be at least 1, got "
                    + sequenceLength + ", " + step + " and " + batchSize);
        }
        if (encoded.length <= sequenceLength) {
            throw new IllegalArgumentException(corpus.source() + " has " + encoded.length + " characters; sequences"
                    + " of " + sequenceLength + " need at least " + (sequenceLength + 1) + " (one more for the label)");
        }
        this.corpus = corpus;
        this.encoded = encoded;
        this.sequenceLength = sequenceLength;
        this.step = step;
        this.seed = seed;
        // starts 0, step, 2*step, ... while a next character follows the sequence (Keras' range)
        int available = (encoded.length - sequenceLength + step - 1) / step;
        this.count = limit > 0 ? Math.min(limit, available) : available;
    }

    /**
     * The batches of one epoch, in the order fixed by (seed, epoch).
     *
     * @param manager the manager whose device the arrays go to; each batch gets a sub-manager
     * @param epoch the epoch, from 0
     * @return the batches
     */
    @Override
    public Iterable<Batch> epoch(NDManager manager, int epoch) {
        return () -> new EpochIterator(manager, EpochOrder.shuffled(count, seed, epoch));
    }

    /**
     * One sequence: int64 (T) indices and the int64 scalar index of the next character.
     *
     * @param manager the manager that owns the arrays
     * @param index the sequence, 0 to {@code size() - 1}
     * @return the record
     */
    @Override
    public Record get(NDManager manager, long index) {
        int start = Math.toIntExact(index) * step;
        long[] chars = new long[sequenceLength];
        for (int t = 0; t < sequenceLength; t++) {
            chars[t] = encoded[start + t];
        }
        return new Record(new NDList(manager.create(chars)),
                new NDList(manager.create((long) encoded[start + sequenceLength])));
    }

    /**
     * How many sequences there are.
     *
     * @return the count after the limit
     */
    @Override
    public long availableSize() {
        return count;
    }

    /**
     * Characters per sequence.
     *
     * @return T
     */
    public int sequenceLength() {
        return sequenceLength;
    }

    /**
     * The text the sequences come from.
     *
     * @return the corpus
     */
    public TextCorpus corpus() {
        return corpus;
    }

    private final class EpochIterator implements Iterator<Batch> {

        private final NDManager manager;
        private final int[] order;
        private final ByteBuffer dataBytes;
        private final ByteBuffer labelBytes;
        private int next;

        EpochIterator(NDManager manager, int[] order) {
            this.manager = manager;
            this.order = order;
            int capacity = Math.min(batchSize, count);
            // reused: each batch's int32 arrays are converted to int64 copies before the next fill
            this.dataBytes = ByteBuffer.allocateDirect(capacity * sequenceLength * Integer.BYTES)
                    .order(ByteOrder.nativeOrder());
            this.labelBytes = ByteBuffer.allocateDirect(capacity * Integer.BYTES).order(ByteOrder.nativeOrder());
        }

        @Override
        public boolean hasNext() {
            return next < count;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch finished after " + numBatches() + " batches");
            }
            int from = next;
            int to = Math.min(from + batchSize, count);
            next = to;
            int n = to - from;
            IntBuffer data = dataBytes.clear().asIntBuffer();
            IntBuffer labels = labelBytes.clear().asIntBuffer();
            List<Long> indices = new ArrayList<>(n);
            for (int k = from; k < to; k++) {
                int start = order[k] * step;
                data.put(encoded, start, sequenceLength);
                labels.put(encoded[start + sequenceLength]);
                indices.add((long) order[k]);
            }
            dataBytes.limit(n * sequenceLength * Integer.BYTES);
            labelBytes.limit(n * Integer.BYTES);
            NDManager batchManager = manager.newSubManager();
            try {
                NDArray x = toInt64(batchManager, dataBytes, new Shape(n, sequenceLength));
                NDArray y = toInt64(batchManager, labelBytes, new Shape(n));
                return new Batch(batchManager, new NDList(x), new NDList(y), n, Batchifier.STACK, Batchifier.STACK,
                        to, count, indices);
            } catch (RuntimeException e) {
                batchManager.close();
                throw e;
            }
        }

        private NDArray toInt64(NDManager batchManager, ByteBuffer bytes, Shape shape) {
            try (NDArray ints = batchManager.create(bytes, shape, DataType.INT32)) {
                return ints.toType(DataType.INT64, false);
            }
        }
    }

    /** Satisfies {@link RandomAccessDataset}'s constructor; the sampler is only used by DJL's own iteration. */
}
