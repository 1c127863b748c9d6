package io.github.rosettadl.examples.cli.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;

import io.github.rosettadl.core.training.EpochSource;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Times every training step from the outside: an {@link EpochSource} that hands on another
 * source's batches and reads the clock when the loop asks for a batch and when it asks whether
 * there is another. So a step is everything the real loop does for one batch (building the batch,
 * forward, loss, backward, update, closing the batch), and the loop itself is not touched.
 *
 * <p>It stops handing out batches after {@code stepLimit} steps, ending that epoch early.
 */
public final class StepClock implements EpochSource {

    private final EpochSource source;
    private final long[] startNanos;
    private final long[] endNanos;
    private final int[] images;
    private int steps;
    private double firstStepProcessSeconds = Double.NaN;

    /**
     * Wraps a source.
     *
     * @param source the batches to time
     * @param stepLimit the most steps to hand out, over all epochs
     */
    public StepClock(EpochSource source, int stepLimit) {
        this.source = Objects.requireNonNull(source, "source");
        if (stepLimit < 1) {
            throw new IllegalArgumentException("The step limit must be at least 1, got " + stepLimit + ".");
        }
        startNanos = new long[stepLimit];
        endNanos = new long[stepLimit];
        images = new int[stepLimit];
    }

    @Override
    public Iterable<Batch> batches(NDManager manager, int epoch) {
        return () -> new TimedIterator(source.batches(manager, epoch).iterator());
    }

    /**
     * Steps finished so far.
     *
     * @return the count
     */
    public int steps() {
        return steps;
    }

    /**
     * Whether the step limit is reached.
     *
     * @return true when no more batches will be handed out
     */
    public boolean full() {
        return steps == startNanos.length;
    }

    /**
     * When step {@code i} began, by {@link System#nanoTime()}.
     *
     * @param i the 0-based step
     * @return the clock reading
     */
    public long startNanos(int i) {
        return startNanos[Objects.checkIndex(i, steps)];
    }

    /**
     * When step {@code i} ended, by {@link System#nanoTime()}.
     *
     * @param i the 0-based step
     * @return the clock reading
     */
    public long endNanos(int i) {
        return endNanos[Objects.checkIndex(i, steps)];
    }

    /**
     * The images in step {@code i}'s batch.
     *
     * @param i the 0-based step
     * @return the batch size of that step (smaller for an epoch's last, partial batch)
     */
    public int images(int i) {
        return images[Objects.checkIndex(i, steps)];
    }

    /**
     * Seconds from this process's start to the end of the first step.
     *
     * @return the time, or NaN before the first step ended
     */
    public double firstStepProcessSeconds() {
        return firstStepProcessSeconds;
    }

    private final class TimedIterator implements Iterator<Batch> {

        private final Iterator<Batch> batches;
        private boolean inStep;

        TimedIterator(Iterator<Batch> batches) {
            this.batches = batches;
        }

        @Override
        public boolean hasNext() {
            if (inStep) {
                // the loop asks for the next batch only after it has closed the last one
                endNanos[steps++] = System.nanoTime();
                inStep = false;
                if (steps == 1) {
                    firstStepProcessSeconds = ProcessStats.secondsSinceStart();
                }
            }
            return !full() && batches.hasNext();
        }

        @Override
        public Batch next() {
            if (full()) {
                throw new NoSuchElementException("the step limit of " + startNanos.length + " is reached");
            }
            startNanos[steps] = System.nanoTime();
            Batch batch = batches.next();
            images[steps] = batch.getSize();
            inStep = true;
            return batch;
        }
    }
}
