package io.github.rosettadl.core.training;

/**
 * Callbacks for showing progress. The loop calls {@link #stepsDone} at most every
 * {@link #UPDATE_INTERVAL_MILLIS} milliseconds and once when the training part of an epoch ends,
 * never once per batch, so a progress display costs the training nothing measurable.
 */
public interface TrainingProgress {

    /** Shows nothing: for tests and notebooks. */
    TrainingProgress SILENT = new TrainingProgress() {
    };

    /** The least time between two {@link #stepsDone} calls. */
    long UPDATE_INTERVAL_MILLIS = 200;

    /**
     * An epoch begins.
     *
     * @param epoch the 1-based epoch
     * @param epochs the epoch the run will stop after
     * @param expectedSteps the batches in this epoch, or -1 while unknown (learnt from the first epoch)
     */
    default void epochStarted(int epoch, int epochs, long expectedSteps) {
    }

    /**
     * Training within the current epoch has advanced.
     *
     * @param steps batches done in this epoch
     * @param examples examples done in this epoch
     * @param meanLoss the mean training loss so far in this epoch
     * @param elapsedNanos time since the epoch began
     */
    default void stepsDone(long steps, long examples, double meanLoss, long elapsedNanos) {
    }

    /**
     * An epoch ended, validation included.
     *
     * @param metrics what the epoch measured
     */
    default void epochEnded(EpochMetrics metrics) {
    }
}
