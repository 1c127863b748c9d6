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
     * gradient: norm min(|g|, C). Large inputs give norms far above C, so clipping must act.
     */
    @Test
    void eachExampleContributesAtMostTheClippingNorm() {
        try (Model model = new SimpleCNN.Spec(new ImageShape(1, 8, 8), 4).newModel(Device.cpu());
                NDManager manager = model.getNDManager().newSubManager();
) {
            DpSgd clipOnly = new DpSgd(0, 0.05, 1);
            DpSgd wide = new DpSgd(0, 1e6, 1);
            SeedModel block = (SeedModel) model.getBlock();
            List<Parameter> parameters = block.trainedParameters();
            manager.getEngine().setRandomSeed(3);
            NDArray x = manager.randomUniform(0f, 50f, new Shape(4, 1, 8, 8));
            NDArray y = manager.create(new long[] {0, 1, 2, 3});
            ParameterStore store = new ParameterStore(manager, false);
            int clipped = 0;
            for (int i = 0; i < 4; i++) {
                NDArray xi = x.get(new NDIndex("{}:{}", i, i + 1));
                NDArray yi = y.get(new NDIndex("{}:{}", i, i + 1));
                float raw = wide.compute(block, store, xi, yi, parameters).flatGradient().norm().getFloat();
                float norm = clipOnly.compute(block, store, xi, yi, parameters).flatGradient().norm().getFloat();
                assertTrue(norm <= 0.05f * 1.0001f, "example " + i + ": clipped norm " + norm);
                assertEquals(Math.min(raw, 0.05f), norm, 1e-3f * 0.05f, "example " + i);
                clipped += raw > 0.05f ? 1 : 0;
            }
            assertTrue(clipped > 0, "no example had a gradient above the clipping norm");
            // a whole batch's sum of clipped gradients is at most N C, divided by the expected batch size
            float norm = new DpSgd(0, 0.05, 4).compute(block, store, x, y, parameters).flatGradient().norm()
                    .getFloat();
            assertTrue(norm <= 0.05f * 1.0001f, "batch mean norm " + norm);
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
