package io.github.rosettadl.core.training;

/**
 * What one epoch measured: one row of the {@link History}.
 *
 * @param epoch the 1-based epoch number
 * @param trainLoss the mean training loss over the epoch's batches (weighted by batch size)
 * @param trainAccuracy the fraction of training examples classified right while training
 * @param valLoss the mean validation loss after the epoch, NaN without validation data
 * @param valAccuracy the validation accuracy after the epoch, NaN without validation data
 * @param seconds the wall time of the epoch, validation included
 * @param imagesPerSecond training examples per second of training time (validation excluded)
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
        double seconds, double imagesPerSecond) {
}
