package io.github.rosettadl.core.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.models.BatchNormCNN;
import io.github.rosettadl.core.models.CifarCNN;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.Mlp;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.models.SoftmaxRegression;
import io.github.rosettadl.core.models.TanhCNN;
import io.github.rosettadl.core.models.WeightInit;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Per-example gradients from one backward pass against the naive loop of one backward pass per example. */
class PerExampleGradientsTest {

    private static final int BATCH = 5;

    @BeforeAll
    static void cpu() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    /** Each example's full gradient by its own forward and backward pass, flattened in parameter order. */
    private static NDArray[] naive(SeedModel block, NDArray x, NDArray y, List<Parameter> parameters) {
        NDArray[] gradients = new NDArray[BATCH];
        for (int i = 0; i < BATCH; i++) {
            try (GradientCollector collector = x.getManager().getEngine().newGradientCollector()) {
                collector.zeroGradients();
                NDArray xi = x.get(new NDIndex("{}:{}", i, i + 1));
                NDArray logits = block.forward(new ParameterStore(x.getManager(), false), new NDList(xi), true).head();
                NDArray loss = logits.logSoftmax(1).gather(y.get(new NDIndex("{}:{}", i, i + 1)).reshape(-1, 1), 1)
                        .sum().neg();
                collector.backward(loss);
                NDList parts = new NDList();
                for (Parameter p : parameters) {
                    parts.add(p.getArray().getGradient().reshape(-1));
                }
                gradients[i] = NDArrays.concat(parts);
            }
        }
        return gradients;
    }

    private static void checkAgainstNaive(ModelSpec spec, Shape input) {
        try (Model model = spec.newModel(Device.cpu()); NDManager manager = model.getNDManager().newSubManager()) {
            SeedModel block = (SeedModel) model.getBlock();
            List<Parameter> parameters = block.trainedParameters();
            manager.getEngine().setRandomSeed(7);
            NDArray x = manager.randomUniform(0f, 1f, input);
            NDArray y = manager.create(new long[] {0, 3, 1, 2, 3});
            NDArray[] expected = naive(block, x, y, parameters);
            {
                PerExampleGradients fast = PerExampleGradients.compute(block, new ParameterStore(manager, false), x, y,
                        parameters);
                float[] norms = fast.norms().toFloatArray();
                float[] weights = {0.3f, 1f, 0f, 0.7f, 0.25f};
                NDArray expectedSum = manager.zeros(expected[0].getShape());
                for (int i = 0; i < BATCH; i++) {
                    float naiveNorm = expected[i].norm().getFloat();
                    assertEquals(naiveNorm, norms[i], 1e-4 * naiveNorm, spec.modelName() + " example " + i);
                    expectedSum = expectedSum.add(expected[i].mul(weights[i]));
                }
                NDArray sum = fast.weightedSum(manager.create(weights));
                float error = sum.sub(expectedSum).norm().getFloat();
                assertTrue(error <= 1e-4 * expectedSum.norm().getFloat(), spec.modelName() + " weighted sum off by "
                        + error);
            }
        }
    }

    @Test
    void denseLayersMatchTheNaiveLoop() {
        checkAgainstNaive(new Mlp.Spec(new ImageShape(1, 6, 6), 4), new Shape(BATCH, 1, 6, 6));
        checkAgainstNaive(new SoftmaxRegression.Spec(new ImageShape(1, 6, 6), 4, WeightInit.PYTORCH), new Shape(BATCH, 1, 6, 6));
    }

    @Test
    void theSimpleCnnMatchesTheNaiveLoop() {
        checkAgainstNaive(new SimpleCNN.Spec(new ImageShape(1, 8, 8), 4), new Shape(BATCH, 1, 8, 8));
    }

    @Test
    void theCifarCnnMatchesTheNaiveLoop() {
        checkAgainstNaive(new CifarCNN.Spec(new ImageShape(3, 32, 32), 4, WeightInit.KERAS),
                new Shape(BATCH, 3, 32, 32));
    }

    @Test
    void theTanhCnnMatchesTheNaiveLoop() {
        // strided, padded convolutions and stride-1 pooling
        checkAgainstNaive(new TanhCNN.Spec(new ImageShape(1, 28, 28), 4), new Shape(BATCH, 1, 28, 28));
    }

    @Test
    void batchNormIsRefusedByName() {
        ModelSpec spec = new BatchNormCNN.Spec(new ImageShape(1, 8, 8), 4, List.of(16), 1, 8, 0f, WeightInit.PYTORCH);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> checkAgainstNaive(spec, new Shape(BATCH, 1, 8, 8)));
        assertTrue(e.getMessage().contains("dense and 2-D convolution layers only"), e.getMessage());
    }
}
