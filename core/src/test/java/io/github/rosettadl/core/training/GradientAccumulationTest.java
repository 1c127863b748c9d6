package io.github.rosettadl.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;

import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.models.SoftmaxRegression;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.testing.GeneratedImages;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class GradientAccumulationTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 12);
    /** 9 batches of 8: two full groups of 4 and a last group of one batch, against batches of 32, 32, 8. */
    private static final int EXAMPLES = 72;

    @BeforeAll
    static void oneThread() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    /** Every parameter after training, in order. */
    static float[] weights(TrainingSession session) {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (Parameter p : ((io.github.rosettadl.core.models.SeedModel) session.model().getBlock())
                .namedParameters().values()) {
            float[] values = p.getArray().toFloatArray();
            parts.add(values);
            n += values.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    static float maxDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static float[] train(ModelSpec spec, TrainingConfig config, int batchSize, int accumulate, int epochs) {
        try (TrainingSession session = TrainingSession.start(spec, config.withEpochs(epochs), Device.cpu())) {
            session.setAccumulation(accumulate);
            session.fit(new GeneratedImages(SHAPE, 4, EXAMPLES, batchSize, 5), null);
            return weights(session);
        }
    }

    @Test
    void fourAccumulatedBatchesEqualOneBatchFourTimesLargerWithSgd() {
        ModelSpec spec = new SimpleCNN.Spec(SHAPE, 4);
        TrainingConfig sgd = TrainingConfig.sgd(0.1f);
        float[] large = train(spec, sgd, 32, 1, 2);
        float[] accumulated = train(spec, sgd, 8, 4, 2);
        float[] start = train(spec, sgd.withLearningRate(1e-30f), 32, 1, 1);
        float moved = maxDifference(large, start);
        float noise = maxDifference(large, accumulated);
        assertTrue(moved > 1e-2, "training moved the weights by " + moved);
        assertTrue(noise < 2e-6, "accumulated and large batch differ by " + noise + " (weights moved " + moved + ")");
        // each of these is a plausible mistake, and each one moves the weights visibly apart
        assertTrue(maxDifference(large, train(spec, sgd, 8, 3, 2)) > 1e-3, "one batch too few per update");
        assertTrue(maxDifference(large, train(spec, sgd, 8, 5, 2)) > 1e-3, "one batch too many per update");
        assertTrue(maxDifference(large, train(spec, sgd, 8, 1, 2)) > 1e-3, "no accumulation");
        assertTrue(maxDifference(large, train(spec, sgd.withLearningRate(0.4f), 8, 4, 2)) > 1e-3,
                "a sum of four batch means instead of their mean is the update at four times the rate");
    }

    @Test
    void withAdamTooAndTheOptimizerCountsOneStepPerGroup() {
        ModelSpec spec = new SoftmaxRegression.Spec(SHAPE, 4);
        TrainingConfig adam = TrainingConfig.adam(1e-2f);
        float[] large = train(spec, adam, 32, 1, 2);
        float[] accumulated = train(spec, adam, 8, 4, 2);
        assertTrue(maxDifference(large, accumulated) < 2e-6, "differ by " + maxDifference(large, accumulated));
        try (TrainingSession session = TrainingSession.start(spec, adam.withEpochs(2), Device.cpu())) {
            session.setAccumulation(4);
            session.fit(new GeneratedImages(SHAPE, 4, EXAMPLES, 8, 5), null);
            assertEquals(6, session.optimizerState().steps(), "3 updates per epoch: 4 + 4 + 1 batches");
        }
    }

    @Test
    void zeroBatchesPerUpdateIsRefused() {
        try (TrainingSession session = TrainingSession.start(new SoftmaxRegression.Spec(SHAPE, 4),
                TrainingConfig.sgd(0.1f), Device.cpu())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> session.setAccumulation(0));
            assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        }
    }
}
