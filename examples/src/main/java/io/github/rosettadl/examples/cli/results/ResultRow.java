package io.github.rosettadl.examples.cli.results;

import java.util.Objects;

/**
 * One finished run of the results table, as stored in {@code docs/results/results.json} and shown
 * in {@code docs/RESULTS.md}. Percentages are in percent (97.78, not 0.9778).
 *
 * @param id the run's name, {@code model/dataset} (for example {@code mlp/mnist})
 * @param kind {@code seed} for a seed configuration, {@code variant} for a named preset, or
 *     {@code other} for the character model and linear regression
 * @param title what ran, in words
 * @param epochs the epochs trained
 * @param metric what {@code finalValue} and {@code bestValue} measure, for example {@code test accuracy %}
 * @param finalValue the metric after the last epoch
 * @param bestValue the best per-epoch value, or NaN where the run has no per-epoch metric
 * @param bestEpoch the epoch of {@code bestValue}, 0 for none
 * @param yardstick the plain-PyTorch figure for the same configuration, or null where none was measured
 * @param target the figure to reach, or null for none
 * @param targetMet whether the target was reached, or null for none
 * @param detail a short extra (learned W and b, sample loss), or empty
 * @param wallSeconds wall time of the run, training and testing
 * @param imagesPerSecond training throughput of the last epoch
 * @param threads libtorch intra-op threads
 * @param limit images per split when the run was limited, 0 for the full data
 * @param command the command that reproduces this row alone
 * @param commit the commit the code was built from ({@code git describe --always --dirty})
 * @param finishedAt when the run ended, ISO-8601 UTC
 * @param machine the CPU and core count
 * @param loadAtStart the one-minute load average when the run began (other programs slow a run down)
 */
public record ResultRow(String id, String kind, String title, int epochs, String metric, double finalValue,
        double bestValue, int bestEpoch, Double yardstick, Double target, Boolean targetMet, String detail,
        double wallSeconds, double imagesPerSecond, int threads, int limit, String command, String commit,
        String finishedAt, String machine, double loadAtStart) {

    /** The metric of every image-classification row; the page puts those rows in their own table. */
    public static final String TEST_ACCURACY = "test accuracy %";

    /**
     * Checks the required fields.
     *
     * @throws NullPointerException when a name is missing
     */
    public ResultRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(metric, "metric");
        detail = detail == null ? "" : detail;
    }

    /**
     * Whether this row is an image classifier's test accuracy.
     *
     * @return true for the rows of the main table
     */
    public boolean isImageClassification() {
        return TEST_ACCURACY.equals(metric);
    }
}
