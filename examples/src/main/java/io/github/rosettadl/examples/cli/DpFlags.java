package io.github.rosettadl.examples.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The DP-SGD flags of {@code train}: {@code --dp} with its noise, clipping norm and delta, or a target epsilon. */
final class DpFlags {

    /** The models whose every trained layer is dense or convolutional, so per-example gradients take one backward pass. */
    static final Set<ModelChoice> MODELS = Set.of(ModelChoice.SOFTMAX_REGRESSION, ModelChoice.MLP,
            ModelChoice.SIMPLE_CNN, ModelChoice.CIFAR_CNN, ModelChoice.TANH_CNN);

    @Option(names = "--dp", description = "Train with DP-SGD: per-example clipping, Gaussian noise, Poisson-sampled"
            + " batches of expected size --batch-size, and the (epsilon, delta) spent in the report. For"
            + " softmax-regression, mlp, simple-cnn, cifar-cnn and tanh-cnn.")
    boolean dp;

    @Option(names = "--noise-multiplier", paramLabel = "SIGMA",
            description = "--dp: noise standard deviation over the clipping norm (default: 1.1, or what"
                    + " --target-epsilon needs).")
    Double noiseMultiplier;

    @Option(names = "--target-epsilon", paramLabel = "EPS",
            description = "--dp: choose the noise multiplier that spends this epsilon over all epochs.")
    Double targetEpsilon;

    @Option(names = "--max-grad-norm", paramLabel = "C", description = "--dp: per-example clipping norm (default: 1.0).")
    Double maxGradNorm;

    @Option(names = "--delta", paramLabel = "DELTA", description = "--dp: the target delta (default: 1e-5).")
    Double delta;

    /**
     * Whether DP-SGD was asked for; refuses its flags without {@code --dp}.
     *
     * @return true with {@code --dp}
     * @throws IllegalArgumentException naming a DP flag given without {@code --dp}
     */
    boolean enabled() {
        if (!dp) {
            List<String> given = given();
            if (!given.isEmpty()) {
                throw new IllegalArgumentException(String.join(", ", given) + " set DP-SGD's privacy: add --dp"
                        + " to train with DP-SGD.");
            }
        }
        return dp;
    }

    private List<String> given() {
        List<String> given = new ArrayList<>();
        if (noiseMultiplier != null) {
            given.add("--noise-multiplier");
        }
        if (targetEpsilon != null) {
            given.add("--target-epsilon");
        }
        if (maxGradNorm != null) {
            given.add("--max-grad-norm");
        }
        if (delta != null) {
            given.add("--delta");
        }
        return given;
    }

    /**
     * Checks the flags against the run and returns the settings.
     *
     * @param model the model to train
     * @param preset the preset, or null
     * @return the settings
     * @throws IllegalArgumentException naming the model or flag that does not fit
     */
    PrivateImageClassifierRun.Settings settings(ModelChoice model, Preset preset) {
        if (preset != null) {
            throw new IllegalArgumentException("--dp trains the seed models, not --preset " + preset.cliName()
                    + ": give one of " + models() + " instead.");
        }
        if (!MODELS.contains(model)) {
            throw new IllegalArgumentException("--dp does not train '" + model.cliName() + "': its per-example"
                    + " gradients would need one backward pass per example. --dp trains " + models()
                    + ", whose layers are all dense or convolutional.");
        }
        if (noiseMultiplier != null && targetEpsilon != null) {
            throw new IllegalArgumentException("Give --noise-multiplier " + noiseMultiplier + " or --target-epsilon "
                    + targetEpsilon + ", not both: the target chooses the noise.");
        }
        double sigma = targetEpsilon != null ? Double.NaN : noiseMultiplier != null ? noiseMultiplier : 1.1;
        if (!Double.isNaN(sigma) && !(sigma > 0 && sigma < 1e6)) {
            throw new IllegalArgumentException("Invalid --noise-multiplier " + noiseMultiplier
                    + ": it must be above 0 (0 would release exact gradients, with no privacy).");
        }
        if (targetEpsilon != null && !(targetEpsilon > 0 && targetEpsilon < 1e6)) {
            throw new IllegalArgumentException("Invalid --target-epsilon " + targetEpsilon + ": it must be above 0.");
        }
        double c = maxGradNorm != null ? maxGradNorm : 1.0;
        if (!(c > 0 && c < 1e12)) {
            throw new IllegalArgumentException("Invalid --max-grad-norm " + maxGradNorm + ": it must be above 0.");
        }
        double d = delta != null ? delta : 1e-5;
        if (!(d > 0 && d < 1)) {
            throw new IllegalArgumentException("Invalid --delta " + delta + ": it must be between 0 and 1, and"
                    + " usually below 1 / (number of training examples), for example 1e-5 for MNIST.");
        }
        return new PrivateImageClassifierRun.Settings(sigma, targetEpsilon != null ? targetEpsilon : Double.NaN, c, d);
    }

    private static String models() {
        return "softmax-regression, mlp, simple-cnn, cifar-cnn or tanh-cnn";
    }
}
