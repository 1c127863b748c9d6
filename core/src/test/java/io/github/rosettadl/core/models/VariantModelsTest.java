package io.github.rosettadl.core.models;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The variant models' training-only behaviour: batch statistics, running statistics and dropout. */
class VariantModelsTest {

    private static final ImageShape SHAPE = new ImageShape(3, 8, 8);

    @BeforeAll
    static void engine() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    @Test
    void batchNormLearnsRunningStatisticsInTrainingAndUsesThemInEvaluation() {
        BatchNormCNN.Spec spec = new BatchNormCNN.Spec(SHAPE, 3, List.of(16, 32), 2, 16, 0f, WeightInit.PYTORCH);
        try (Model model = spec.newModel(Device.cpu()); NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            SeedModel block = (SeedModel) model.getBlock();
            assertEquals(List.of("conv1.weight", "bn1.gamma", "bn1.beta", "bn1.runningMean", "bn1.runningVar"),
                    block.namedParameters().keySet().stream().limit(5).toList(), "no conv bias before batch norm");
            Parameter runningMean = block.namedParameters().get("bn1.runningMean");
            assertFalse(runningMean.requiresGradient(), "running statistics are not trained by the optimiser");
            NDArray x = manager.randomUniform(0f, 1f, SHAPE.withBatch(6));
            float[] before = runningMean.getArray().toFloatArray();
            float[] evalBefore = forward(block, manager, x, false);
            forward(block, manager, x, true);
            float[] after = runningMean.getArray().toFloatArray();
            assertFalse(java.util.Arrays.equals(before, after), "a training pass moves the running mean");
            float[] evalAfter = forward(block, manager, x, false);
            assertFalse(java.util.Arrays.equals(evalBefore, evalAfter), "evaluation uses the running statistics");
            assertArrayEquals(evalAfter, forward(block, manager, x, false), "evaluation leaves them alone");
        }
    }

    @Test
    void dropoutIsRandomInTrainingAndOffInEvaluation() {
        DropoutMlp.Spec spec = new DropoutMlp.Spec(SHAPE, 3, 32, 0.5f, WeightInit.KERAS);
        try (Model model = spec.newModel(Device.cpu()); NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            SeedModel block = (SeedModel) model.getBlock();
            assertEquals(List.of("dense.weight", "dense.bias", "dense_1.weight", "dense_1.bias", "dense_2.weight",
                    "dense_2.bias"), List.copyOf(block.namedParameters().keySet()));
            NDArray x = manager.randomUniform(0f, 1f, SHAPE.withBatch(4));
            assertFalse(java.util.Arrays.equals(forward(block, manager, x, true), forward(block, manager, x, true)));
            assertArrayEquals(forward(block, manager, x, false), forward(block, manager, x, false));
        }
    }

    @Test
    void specsRejectImagesTooSmallForTheirStagesAndBadRates() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> new BatchNormCNN.Spec(
                new ImageShape(1, 4, 4), 10, List.of(16, 16, 32), 1, 16, 0f, WeightInit.PYTORCH));
        assertTrue(small.getMessage().contains("8x8"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DropoutMlp.Spec(SHAPE, 10, 16, 1f, WeightInit.KERAS));
        assertThrows(IllegalArgumentException.class, () -> new BatchNormCNN.Spec(SHAPE, 10, List.of(), 1, 16, 0f,
                WeightInit.PYTORCH));
        IllegalArgumentException narrow = assertThrows(IllegalArgumentException.class, () -> new BatchNormCNN.Spec(
                SHAPE, 10, List.of(4, 40), 1, 16, 0f, WeightInit.PYTORCH));
        assertTrue(narrow.getMessage().contains("[4, 40]") && narrow.getMessage().contains("multiple of 16")
                && narrow.getMessage().contains("[16, 48]"), narrow.getMessage());
    }

    private static float[] forward(SeedModel block, NDManager manager, NDArray x, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), training).head().toFloatArray();
    }
}
