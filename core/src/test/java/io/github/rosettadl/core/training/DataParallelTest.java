package io.github.rosettadl.core.training;

import static io.github.rosettadl.core.training.GradientAccumulationTest.maxDifference;
import static io.github.rosettadl.core.training.GradientAccumulationTest.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;

import io.github.rosettadl.core.models.BatchNormCNN;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.models.WeightInit;
import io.github.rosettadl.core.precision.Precision;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.testing.GeneratedImages;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

/**
 * DJL's PyTorch engine has one CPU device ({@code Device.of("cpu", 1)} is {@code cpu()}), so the
 * devices here are stand-ins: the same CPU named two or three times, each entry with its own copy of
 * the model, which is what the splitting and summing need.
 */
class DataParallelTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 12);

    @BeforeAll
    static void oneThread() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    @Test
    void theEngineHasOneCpuDevice() {
        assertEquals(Device.cpu(), Device.of("cpu", 1), "if this changes, test on two real CPU devices");
    }

    @Test
    void partsAreAsEqualAsPossibleWithTheFirstOnesLarger() {
        assertArrayEquals(new long[] {32, 32}, DataParallel.partSizes(64, 2));
        assertArrayEquals(new long[] {4, 3, 3}, DataParallel.partSizes(10, 3));
        assertArrayEquals(new long[] {1, 1, 0}, DataParallel.partSizes(2, 3));
    }

    private static float[] train(ModelSpec spec, TrainingConfig config, int copies, int count, int batchSize) {
        try (TrainingSession session = TrainingSession.start(spec, config.withEpochs(2), Device.cpu())) {
            session.setDevices(Collections.nCopies(copies, Device.cpu()));
            session.fit(new GeneratedImages(SHAPE, 4, count, batchSize, 9), null);
            return weights(session);
        }
    }

    @Test
    void splittingABatchOverDevicesGivesTheSingleDeviceUpdate() {
        ModelSpec spec = new SimpleCNN.Spec(SHAPE, 4);
        for (TrainingConfig config : List.of(TrainingConfig.sgd(0.1f), TrainingConfig.adam(1e-2f))) {
            // 100 examples in batches of 32: 32, 32, 32, 4, so three devices get 11, 11, 10 and 2, 1, 1
            float[] one = train(spec, config, 1, 100, 32);
            float[] start = train(spec, config.withLearningRate(1e-30f), 1, 100, 32);
            assertTrue(maxDifference(one, start) > 1e-2, "training moved the weights");
            // Adam divides by the root of its second moment, so where a gradient is near zero it turns
            // float32 rounding into visible weight changes; its noise floor is measured as what another
            // order of the same float32 sums gives: two accumulated half batches
            float reordered = maxDifference(one, accumulated(spec, config));
            float bound = Math.max(2e-6f, 4 * reordered);
            for (int copies : new int[] {2, 3}) {
                float[] split = train(spec, config, copies, 100, 32);
                float noise = maxDifference(one, split);
                assertTrue(noise < bound, config.optimizer() + " on " + copies + " devices differs by " + noise
                        + "; reordering the sums on one device moves the weights by " + reordered);
            }
        }
    }

    private static float[] accumulated(ModelSpec spec, TrainingConfig config) {
        try (TrainingSession session = TrainingSession.start(spec, config.withEpochs(2), Device.cpu())) {
            session.setAccumulation(2);
            session.fit(new GeneratedImages(SHAPE, 4, 100, 16, 9), null);
            return weights(session);
        }
    }

    @Test
    void theSummedGradientIsTheWholeBatchsMeanGradient() {
        ModelSpec spec = new SimpleCNN.Spec(SHAPE, 4);
        float[] single = null;
        for (int copies : new int[] {1, 2, 3}) {
            JniUtils.setSeed(5); // the same starting weights each time
            try (Model model = spec.newModel(Device.cpu());
                    NDManager data = NDManager.newBaseManager()) {
                SeedModel block = (SeedModel) model.getBlock();
                FlatParameters flat = new FlatParameters(block.trainedParameters().stream().map(Parameter::getArray)
                        .toList(), model.getNDManager());
                try (flat; DataParallel parallel = new DataParallel(block, flat,
                        new ParameterStore(model.getNDManager(), false), Collections.nCopies(copies, Device.cpu()),
                        Precision.FP32);
                        Batch batch = new GeneratedImages(SHAPE, 4, 31, 31, 3).batches(data, 1).iterator().next()) {
                    float[] gradient = parallel.run(StepBatch.of(batch, data, Device.cpu()), 1f).gradient()
                            .toFloatArray();
                    if (single == null) {
                        single = gradient;
                    } else {
                        float scale = 0;
                        for (float g : single) {
                            scale = Math.max(scale, Math.abs(g));
                        }
                        assertTrue(maxDifference(single, gradient) < 1e-6 * scale, copies + " devices: "
                                + maxDifference(single, gradient) + " of " + scale);
                    }
                }
            }
        }
    }

    @Test
    void aMissingShareWeightOrAMissingPartShowsUp() {
        // the same batches on one device, with every second example's gradient left out, are not
        // the same: this is what a lost part would look like
        ModelSpec spec = new SimpleCNN.Spec(SHAPE, 4);
        float[] full = train(spec, TrainingConfig.sgd(0.1f), 1, 64, 32);
        float[] half = train(spec, TrainingConfig.sgd(0.1f), 1, 64, 16);
        assertTrue(maxDifference(full, half) > 1e-3);
    }

    @Test
    void batchNormAveragesAndWeightsOfTheFirstDeviceReachEveryCopy() {
        ModelSpec spec = new BatchNormCNN.Spec(SHAPE, 4, List.of(16), 1, 16, 0f, WeightInit.PYTORCH);
        try (Model model = spec.newModel(Device.cpu());
                NDManager data = NDManager.newBaseManager()) {
            SeedModel block = (SeedModel) model.getBlock();
            FlatParameters flat = new FlatParameters(block.trainedParameters().stream().map(Parameter::getArray)
                    .toList(), model.getNDManager());
            try (flat; DataParallel parallel = new DataParallel(block, flat, new ParameterStore(model.getNDManager(),
                    false), List.of(Device.cpu(), Device.cpu()), Precision.FP32)) {
                assertArrayEquals(parallel.values(0).toFloatArray(), parallel.values(1).toFloatArray(),
                        "the copy starts from the first device's weights");
                Batch batch = new GeneratedImages(SHAPE, 4, 32, 32, 3).batches(data, 1).iterator().next();
                try (batch) {
                    StepBatch b = StepBatch.of(batch, data, Device.cpu());
                    ReplicaPass.Result r = parallel.run(b, 1f);
                    assertTrue(Float.isFinite(r.loss()) && r.gradient().size() == flat.values().size());
                    float[] first = parallel.buffers(0).get(0).toFloatArray();
                    float[] copy = parallel.buffers(1).get(0).toFloatArray();
                    assertTrue(maxDifference(first, copy) > 0, "each copy saw its own half of the batch");
                    flat.values().addi(1f);
                    parallel.broadcast();
                    assertArrayEquals(first, parallel.buffers(1).get(0).toFloatArray());
                    assertArrayEquals(parallel.buffers(0).get(1).toFloatArray(),
                            parallel.buffers(1).get(1).toFloatArray());
                    assertArrayEquals(parallel.values(0).toFloatArray(), parallel.values(1).toFloatArray());
                }
            }
        }
    }

    @Test
    void theDevicesMustStartWithTheModelsDevice() {
        try (TrainingSession session = TrainingSession.start(new SimpleCNN.Spec(SHAPE, 4), TrainingConfig.sgd(0.1f),
                Device.cpu())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> session.setDevices(List.of(Device.gpu(0), Device.cpu())));
            assertTrue(e.getMessage().contains("must start with the model's device"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> session.setDevices(List.of()));
        }
    }
}
