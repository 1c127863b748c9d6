package io.github.rosettadl.core.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.GradientRule;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

/** DP-SGD's clipping bound and noise, on the SimpleCNN. */
class DpSgdTest {

    @BeforeAll
    static void cpu() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    /**
     * With no noise and an expected batch of 1, a one-example step's gradient is that example's clipped
     * gradient, of norm min(|g|, C). C lies between the smallest and the largest of the examples' norms,
     * so that some are clipped and some are left as they are.
     */
    @Test
    void eachExampleContributesAtMostTheClippingNorm() {
        try (Model model = new SimpleCNN.Spec(new ImageShape(1, 8, 8), 4).newModel(Device.cpu());
                NDManager manager = model.getNDManager().newSubManager()) {
            SeedModel block = (SeedModel) model.getBlock();
            List<Parameter> parameters = block.trainedParameters();
            manager.getEngine().setRandomSeed(3);
            NDArray x = manager.randomUniform(0f, 1f, new Shape(6, 1, 8, 8)).mul(manager.create(
                    new float[] {0.1f, 1f, 5f, 20f, 50f, 0.5f}).reshape(6, 1, 1, 1));
            NDArray y = manager.create(new long[] {0, 1, 2, 3, 0, 1});
            ParameterStore store = new ParameterStore(manager, false);
            float[] raw = PerExampleGradients.compute(block, store, x, y, parameters).norms().toFloatArray();
            float[] sorted = raw.clone();
            java.util.Arrays.sort(sorted);
            float c = (sorted[2] + sorted[3]) / 2;
            DpSgd clipOnly = new DpSgd(0, c, 1);
            int clipped = 0;
            for (int i = 0; i < raw.length; i++) {
                NDArray xi = x.get(new NDIndex("{}:{}", i, i + 1));
                NDArray yi = y.get(new NDIndex("{}:{}", i, i + 1));
                float norm = clipOnly.compute(block, store, xi, yi, parameters).flatGradient().norm().getFloat();
                assertTrue(norm <= c * 1.0001f, "example " + i + ": clipped norm " + norm + " above C " + c);
                assertEquals(Math.min(raw[i], c), norm, 1e-3f * c, "example " + i + ", raw norm " + raw[i]);
                clipped += raw[i] > c ? 1 : 0;
            }
            assertEquals(3, clipped, "half the examples are above C");
            // a whole batch's sum of clipped gradients is at most N C, divided by the expected batch size
            float norm = new DpSgd(0, c, 6).compute(block, store, x, y, parameters).flatGradient().norm().getFloat();
            assertTrue(norm <= c * 1.0001f, "batch mean norm " + norm);
        }
    }

    /**
     * An empty Poisson batch still takes a step: pure noise of standard deviation sigma C over the
     * expected batch size, on every coordinate, with mean 0.
     */
    @Test
    void theNoiseHasStandardDeviationSigmaTimesCOverTheExpectedBatch() {
        try (Model model = new SimpleCNN.Spec(new ImageShape(1, 8, 8), 4).newModel(Device.cpu());
                NDManager manager = model.getNDManager().newSubManager()) {
            DpSgd dp = new DpSgd(1.5, 2.0, 10);
            SeedModel block = (SeedModel) model.getBlock();
            List<Parameter> parameters = block.trainedParameters();
            NDArray x = manager.zeros(new Shape(0, 1, 8, 8));
            NDArray y = manager.zeros(new Shape(0), DataType.INT64);
            GradientRule.Step step = dp.compute(block, new ParameterStore(manager, false), x, y, parameters);
            NDArray g = step.flatGradient();
            long size = parameters.stream().mapToLong(p -> p.getArray().size()).sum();
            assertEquals(size, g.size());
            double expected = 1.5 * 2.0 / 10;
            double mean = g.mean().getFloat();
            double std = Math.sqrt(g.sub(mean).square().mean().getFloat());
            assertEquals(expected, std, 0.02 * expected, "noise std over " + size + " coordinates");
            assertEquals(0, mean, 5 * expected / Math.sqrt(size));
            assertEquals(0, step.meanLoss());
        }
    }

    @Test
    void badSettingsAreRefused() {
        IllegalArgumentException clip = assertThrows(IllegalArgumentException.class, () -> new DpSgd(1, 0, 256));
        assertTrue(clip.getMessage().contains("clipping norm"), clip.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DpSgd(-1, 1, 256));
    }
}
