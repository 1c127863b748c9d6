package io.github.rosettadl.datasets.image;

/** How batches turn uint8 pixels into float32 inputs. */
public enum Normalization {

    /** {@code x / 255}, into [0, 1], as every seed example does. The default. */
    DIVIDE_255,
    /** {@code (x / 255 - mean[c]) / std[c]} with the per-channel statistics of the train set. */
    MEAN_STD
}
