package io.github.rosettadl.examples.cli.results;

import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.examples.cli.ModelChoice;

import java.util.Arrays;
import java.util.Locale;

/**
 * The DP-SGD rows of the results, each set on MNIST at three noise levels and the same in everything
 * else, so the rows trace accuracy against epsilon: Tramèr and Boneh's tanh CNN ({@code tanh-cnn}) with
 * their settings, and the TensorFlow tutorial's CNN ({@code cifar-cnn}) with plain SGD for 4 epochs.
 */
public enum DpResultRun {
    /** Little noise: epsilon about 7.3, near Abadi et al.'s largest budget of 8. */
    TANH_SIGMA_0_75(ModelChoice.TANH_CNN, 0.75, null),
    /**
     * Epsilon 2.53, or 2.93 with the classic conversion, Tramèr and Boneh's budget: under 3 either way,
     * the run held to 97%.
     */
    TANH_SIGMA_1_25(ModelChoice.TANH_CNN, 1.25, 97.0),
    /** Much noise: epsilon about 1. */
    TANH_SIGMA_2_5(ModelChoice.TANH_CNN, 2.5, null),
    /** The tutorial CNN with little noise: epsilon about 8.5 after 4 epochs. */
    CIFAR_SIGMA_0_5(ModelChoice.CIFAR_CNN, 0.5, null),
    /** The tutorial CNN at epsilon about 2.9. */
    CIFAR_SIGMA_0_7(ModelChoice.CIFAR_CNN, 0.7, null),
    /** The tutorial CNN with much noise: epsilon about 1.1. */
    CIFAR_SIGMA_1_0(ModelChoice.CIFAR_CNN, 1.0, null);

    /** The target delta, below 1 / 60,000. */
    public static final double DELTA = 1e-5;

    private final ModelChoice model;
    private final double noiseMultiplier;
    private final Double target;

    DpResultRun(ModelChoice model, double noiseMultiplier, Double target) {
        this.model = model;
        this.noiseMultiplier = noiseMultiplier;
        this.target = target;
    }

    /**
     * The row's id.
     *
     * @return for example {@code tanh-cnn-dp-sigma1.25/mnist}
     */
    public String id() {
        return model.cliName() + "-dp-sigma" + noiseMultiplier + "/mnist";
    }

    /**
     * The model trained.
     *
     * @return tanh-cnn or cifar-cnn
     */
    public ModelChoice model() {
        return model;
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
     * The per-example clipping norm: Tramèr and Boneh's 0.1 for tanh-cnn, 1.0 (the tutorials') for cifar-cnn.
     *
     * @return C
     */
    public double maxGradNorm() {
        return model == ModelChoice.TANH_CNN ? 0.1 : 1.0;
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
     * tanh-cnn's own settings (SGD 0.5 with momentum 0.9, expected batch 512, 40 epochs); for
     * cifar-cnn SGD 0.7 without momentum, expected batch 256, 4 epochs.
     *
     * @return the hyperparameters
     */
    public TrainingConfig config() {
        return model == ModelChoice.TANH_CNN ? model.seedConfig()
                : TrainingConfig.sgd(0.7f).withBatchSize(256).withEpochs(4);
    }

    /**
     * The command that repeats the row.
     *
     * @return a {@code ./rosetta train} line
     */
    public String command() {
        TrainingConfig c = config();
        String tail = model == ModelChoice.TANH_CNN ? ""
                : String.format(Locale.ROOT, " --batch-size %d --epochs %d --optimizer sgd --lr %s", c.batchSize(),
                        c.epochs(), c.learningRate());
        return String.format(Locale.ROOT, "./rosetta train %s --dataset mnist --dp --noise-multiplier %s"
                + " --max-grad-norm %s --delta %s%s", model.cliName(), noiseMultiplier, maxGradNorm(), DELTA, tail);
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
