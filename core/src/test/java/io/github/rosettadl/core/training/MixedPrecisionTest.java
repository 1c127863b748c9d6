package io.github.rosettadl.core.training;

import static io.github.rosettadl.core.training.GradientAccumulationTest.maxDifference;
import static io.github.rosettadl.core.training.GradientAccumulationTest.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;

import io.github.rosettadl.core.models.BatchNormCNN;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.models.WeightInit;
import io.github.rosettadl.core.precision.LossScaler;
import io.github.rosettadl.core.precision.Precision;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.testing.GeneratedImages;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

/** float16 passes run on libtorch's CPU kernels too, so the whole mixed-precision step is tested here. */
class MixedPrecisionTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 12);

    @BeforeAll
    static void oneThread() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    private static GeneratedImages data() {
        return new GeneratedImages(SHAPE, 4, 256, 32, 11);
    }

    @Test
    void float16PassesLearnWithFloat32WeightsAndStayCloseToFloat32() {
        ModelSpec spec = new SimpleCNN.Spec(SHAPE, 4);
        float[] full;
        Evaluation fullEvaluation;
        try (TrainingSession session = TrainingSession.start(spec, TrainingConfig.sgd(0.05f).withEpochs(2),
                Device.cpu())) {
            session.fit(data(), null);
            full = weights(session);
            fullEvaluation = session.evaluate(data());
        }
        try (TrainingSession session = TrainingSession.start(spec, TrainingConfig.sgd(0.05f).withEpochs(2),
                Device.cpu())) {
            session.setPrecision(Precision.FP16);
            List<EpochMetrics> epochs = session.fit(data(), null).epochs();
            for (Parameter p : ((SeedModel) session.model().getBlock()).namedParameters().values()) {
                assertEquals(DataType.FLOAT32, p.getArray().getDataType(), p.getName() + " is a float32 master weight");
            }
            float[] half = weights(session);
            float[] start;
            try (TrainingSession untrained = TrainingSession.start(spec, TrainingConfig.sgd(1e-30f).withEpochs(1),
                    Device.cpu())) {
                untrained.fit(data(), null);
                start = weights(untrained);
            }
            float moved = maxDifference(full, start);
            float apart = maxDifference(full, half);
            // float16 keeps 11 significant bits; over 16 steps the weights drift a few per cent apart
            assertTrue(apart < 0.1 * moved, "fp16 is " + apart + " from fp32, which moved " + moved);
            assertTrue(apart > 0, "the passes really ran in float16");
            assertEquals(0, session.lossScaler().skippedSteps(), "2^16 fits these gradients");
            assertEquals(65536f, session.lossScaler().scale());
            assertEquals(16, session.lossScaler().growthTracker(), "16 clean steps");
            // evaluation reads the float32 master weights, which are close to the float32 run's
            Evaluation evaluation = session.evaluate(data());
            assertEquals(fullEvaluation.loss(), evaluation.loss(), 0.01 * fullEvaluation.loss());
            assertTrue(epochs.get(1).trainLoss() < epochs.get(0).trainLoss(), epochs.toString());
        }
    }

    @Test
    void overflowingStepsAreSkippedAndTheScaleHalvedUntilItFits() {
        ModelSpec spec = new SimpleCNN.Spec(SHAPE, 4);
        try (TrainingSession session = TrainingSession.start(spec, TrainingConfig.sgd(0.05f).withEpochs(1),
                Device.cpu())) {
            float[] before = weights(session);
            // 2^120 times any gradient overflows float16 (largest 65504): all 8 steps of the epoch overflow
            session.setPrecision(Precision.FP16, new LossScaler(0x1p120f, 2f, 0.5f, 2000));
            session.fit(data(), null);
            assertEquals(8, session.lossScaler().skippedSteps());
            assertEquals(0x1p112f, session.lossScaler().scale());
            assertArrayEquals(before, weights(session), "a skipped step leaves the weights alone");
        }
        try (TrainingSession session = TrainingSession.start(spec, TrainingConfig.sgd(0.05f).withEpochs(1),
                Device.cpu())) {
            float[] before = weights(session);
            // 2^24 overflows the logits' gradient (2^24 / 32 per example), a few halvings later it fits
            session.setPrecision(Precision.FP16, new LossScaler(0x1p24f, 2f, 0.5f, 2000));
            session.fit(data(), null);
            long skipped = session.lossScaler().skippedSteps();
            assertTrue(skipped >= 1 && skipped < 8, skipped + " skipped");
            assertEquals(0x1p24f / (1L << skipped), session.lossScaler().scale());
            assertTrue(session.lossScaler().growthTracker() >= 1
                    && session.lossScaler().growthTracker() <= 8 - skipped, "clean steps since the last overflow");
            assertTrue(maxDifference(before, weights(session)) > 0, "the clean steps updated the weights");
        }
    }

    @Test
    void batchNormModelsTrainInFloat16() {
        ModelSpec spec = new BatchNormCNN.Spec(SHAPE, 4, List.of(16), 1, 16, 0f, WeightInit.PYTORCH);
        try (TrainingSession session = TrainingSession.start(spec, TrainingConfig.adam(1e-3f).withEpochs(2),
                Device.cpu())) {
            session.setPrecision(Precision.FP16);
            List<EpochMetrics> epochs = session.fit(data(), data()).epochs();
            assertTrue(epochs.get(1).trainLoss() < epochs.get(0).trainLoss(), epochs.toString());
        }
    }

    @Test
    void float16OnTwoDevicesWithAccumulationComposes() {
        ModelSpec spec = new SimpleCNN.Spec(SHAPE, 4);
        try (TrainingSession session = TrainingSession.start(spec, TrainingConfig.adam(1e-3f).withEpochs(2),
                Device.cpu())) {
            session.setPrecision(Precision.FP16);
            session.setDevices(List.of(Device.cpu(), Device.cpu()));
            session.setAccumulation(2);
            List<EpochMetrics> epochs = session.fit(data(), null).epochs();
            assertTrue(epochs.get(1).trainLoss() < epochs.get(0).trainLoss(), epochs.toString());
            assertEquals(8, session.optimizerState().steps(), "4 updates of 2 batches per epoch");
        }
    }
}
