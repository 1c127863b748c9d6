package io.github.rosettadl.examples.cli.results;

import java.util.Objects;
import java.util.Set;

/**
 * One trained checkpoint quantized to int8 weights and evaluated beside its float32 self, as stored
 * in {@code docs/results/quantization.json}. Accuracies are in percent.
 *
 * @param id the run's name, {@code model/dataset} or {@code preset/dataset}
 * @param epochs the epochs the checkpoint was trained
 * @param testImages the test images both were scored on
 * @param float32Accuracy the float32 checkpoint's test accuracy
 * @param int8Accuracy the quantized checkpoint's test accuracy
 * @param float32FileBytes the float32 checkpoint on disk (weights, Adam's two moments, description)
 * @param float32WeightBytes the float32 weights: on disk in that checkpoint, and in memory once either is loaded
 * @param int8FileBytes the quantized checkpoint on disk
 * @param int8WeightBytes the int8 form in memory before it is expanded: int8 values, scales, float32 tensors
 * @param largestErrorInSteps the largest weight change, in quantization steps of its channel
 * @param command the command that reproduces the row
 * @param commit the commit the code was built from
 * @param finishedAt when it ended, ISO-8601 UTC
 * @param loadAtStart the one-minute load average when it began
 */
public record QuantizationRow(String id, int epochs, int testImages, double float32Accuracy, double int8Accuracy,
        long float32FileBytes, long float32WeightBytes, long int8FileBytes, long int8WeightBytes,
        double largestErrorInSteps, String command, String commit, String finishedAt, double loadAtStart) {

    /** The runs with a goal: the quantized file at most this share of the float32 weights... */
    public static final double GOAL_RATIO = 0.27;
    /** ...and the test accuracy within this many points of float32's. */
    public static final double GOAL_POINTS = 0.2;
    /** The runs the goal is set for. */
    public static final Set<String> WITH_GOAL = Set.of("mlp/mnist", "simple-cnn/mnist", "cifar-cnn/cifar10");

    /**
     * Checks the required fields.
     *
     * @throws NullPointerException when the id is missing
     */
    public QuantizationRow {
        Objects.requireNonNull(id, "id");
    }

    /**
     * The quantized file against the float32 weights it replaces.
     *
     * @return {@code int8FileBytes / float32WeightBytes}
     */
    public double ratio() {
        return (double) int8FileBytes / float32WeightBytes;
    }

    /**
     * Whether the goal is met, for the runs that have one.
     *
     * @return true or false, or null for a run without a goal
     */
    public Boolean goalMet() {
        if (!WITH_GOAL.contains(id)) {
            return null;
        }
        return ratio() <= GOAL_RATIO && Math.abs(int8Accuracy - float32Accuracy) <= GOAL_POINTS + 1e-9;
    }
}
