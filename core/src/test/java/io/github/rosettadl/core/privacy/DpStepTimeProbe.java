package io.github.rosettadl.core.privacy;

import ai.djl.Device;

import io.github.rosettadl.core.models.CifarCNN;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.models.TanhCNN;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.testing.GeneratedImages;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import java.util.Arrays;
import java.util.Locale;

/**
 * Measures a DP-SGD step against a non-private one, not a test: {@code java ... DpStepTimeProbe
 * <simple-cnn|cifar-cnn|tanh-cnn> <threads> <rounds> <steps per round>}. Both sessions train on the same
 * batches of 256 generated MNIST-shaped images with SGD; each round runs one epoch of each, one after
 * the other, so that both see the same machine. Prints the median milliseconds per step of each and
 * their ratio.
 */
public final class DpStepTimeProbe {

    private static final int BATCH = 256;

    private DpStepTimeProbe() {
    }

    public static void main(String[] args) {
        String model = args[0];
        int threads = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(threads));
        ImageShape shape = new ImageShape(1, 28, 28);
        ModelSpec spec = switch (model) {
            case "cifar-cnn" -> new CifarCNN.Spec(shape, 10);
            case "tanh-cnn" -> new TanhCNN.Spec(shape, 10);
            case "simple-cnn" -> new SimpleCNN.Spec(shape, 10);
            default -> throw new IllegalArgumentException("Unknown model '" + model
                    + "'. Valid: simple-cnn, cifar-cnn, tanh-cnn.");
        };
        GeneratedImages data = new GeneratedImages(shape, 10, BATCH * steps, BATCH, 1);
        TrainingConfig config = TrainingConfig.sgd(0.1f).withEpochs(Integer.MAX_VALUE).withBatchSize(BATCH);
        double[] plain = new double[rounds];
        double[] dp = new double[rounds];
        try (TrainingSession plainSession = TrainingSession.start(spec, config, Device.cpu());
                TrainingSession dpSession = TrainingSession.start(spec, config, Device.cpu())) {
            dpSession.setGradientRule(new DpSgd(1.1, 1.0, BATCH));
            plainSession.trainEpoch(data, null); // warm-up
            dpSession.trainEpoch(data, null);
            for (int r = 0; r < rounds; r++) {
                plain[r] = 1000 * plainSession.trainEpoch(data, null).seconds() / steps;
                dp[r] = 1000 * dpSession.trainEpoch(data, null).seconds() / steps;
            }
        }
        Arrays.sort(plain);
        Arrays.sort(dp);
        double p = plain[rounds / 2];
        double d = dp[rounds / 2];
        System.out.printf(Locale.ROOT, "%s, batch %d, %d threads, %d rounds of %d steps: non-private %.1f ms/step,"
                + " DP-SGD %.1f ms/step, ratio %.2f%n", model, BATCH, threads, rounds, steps, p, d, d / p);
    }
}
