package io.github.rosettadl.examples.cli.results;

import io.github.rosettadl.core.training.TrainingConfig;

import java.util.Arrays;
import java.util.Locale;

/**
 * The DP-SGD rows of the results: the TensorFlow tutorial's CNN ({@code cifar-cnn}) on MNIST at three
 * noise levels, the same in everything else, so the rows trace accuracy against epsilon.
 */
public enum DpResultRun {
    /** Little noise: epsilon about 8.5, Abadi et al.'s largest budget. */
    SIGMA_0_5(0.5, null),
    /** Epsilon about 2.9, under 3: the run held to 97%. */
    SIGMA_0_7(0.7, 97.0),
    /** Much noise: epsilon about 1.1. */
    SIGMA_1_0(1.0, null);

    /** Per-example clipping norm. */
    public static final double MAX_GRAD_NORM = 1.0;
    /** The target delta, below 1 / 60,000. */
    public static final double DELTA = 1e-5;

    private static final int BATCH = 256;
    private static final int EPOCHS = 4;
    private static final float LEARNING_RATE = 0.7f;

    private final double noiseMultiplier;
    private final Double target;

    DpResultRun(double noiseMultiplier, Double target) {
        this.noiseMultiplier = noiseMultiplier;
        this.target = target;
    }

    /**
     * The row's id.
     *
     * @return for example {@code cifar-cnn-dp-sigma0.7/mnist}
     */
    public String id() {
        return "cifar-cnn-dp-sigma" + noiseMultiplier + "/mnist";
    }

    /**
     * Sigma.
     *
     * @return the noise multiplier
     */
    public double noiseMultiplier() {
        return noiseMultiplier;
    }

    /**
     * The accuracy the row is held to, if any.
     *
     * @return a percentage, or null
     */
    public Double target() {
        return target;
    }

    /**
     * SGD, learning rate 0.7, expected batch 256, 4 epochs.
     *
     * @return the hyperparameters
     */
    public TrainingConfig config() {
        return TrainingConfig.sgd(LEARNING_RATE).withBatchSize(BATCH).withEpochs(EPOCHS);
    }

    /**
     * The command that repeats the row.
     *
     * @return a {@code ./rosetta train} line
     */
    public String command() {
        return String.format(Locale.ROOT, "./rosetta train cifar-cnn --dataset mnist --dp --noise-multiplier %s"
                + " --max-grad-norm %s --delta %s --batch-size %d --epochs %d --optimizer sgd --lr %s",
                noiseMultiplier, MAX_GRAD_NORM, DELTA, BATCH, EPOCHS, LEARNING_RATE);
    }

    /**
     * The run with a given id.
     *
     * @param id a row id
     * @return the run
     * @throws IllegalArgumentException when no DP run has that id
     */
    public static DpResultRun of(String id) {
        return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No DP-SGD result run '" + id + "'."));
    }
}
