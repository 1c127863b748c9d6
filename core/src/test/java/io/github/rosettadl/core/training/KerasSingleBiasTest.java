package io.github.rosettadl.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.dataset.Batch;

import io.github.rosettadl.core.models.CharRnn;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.RecurrentCell;
import io.github.rosettadl.core.models.RnnClassifier;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.models.WeightInit;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Keras's SimpleRNN and LSTM have one bias per gate; DJL's cells have two that add up and take the
 * same gradient. One real training step must move their sum exactly as one Adam or SGD step moves a
 * single bias with that gradient, not twice as far; GRU and the PyTorch-initialised cells keep both
 * biases trained, as Keras's GRU and PyTorch do.
 */
class KerasSingleBiasTest {

    private static final ImageShape ROWS = new ImageShape(1, 6, 5);
    private static final float LR = 0.01f;

    @BeforeAll
    static void engine() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    static Stream<Arguments> singleBiasModels() {
        List<Arguments> all = new ArrayList<>();
        List<ModelSpec> specs = List.of(new RnnClassifier.Spec(ROWS, 4, RecurrentCell.SIMPLE_RNN, 8, WeightInit.KERAS),
                new RnnClassifier.Spec(ROWS, 4, RecurrentCell.LSTM, 8, WeightInit.KERAS),
                new CharRnn.Spec(7, 5, 4, 8, WeightInit.KERAS));
        for (ModelSpec spec : specs) {
            all.add(Arguments.of(spec, TrainingConfig.adam(LR).withAdamEpsilon(TrainingConfig.KERAS_ADAM_EPSILON)));
            all.add(Arguments.of(spec, TrainingConfig.sgd(LR)));
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("singleBiasModels")
    void theEffectiveBiasMovesOneStepOfASingleBias(ModelSpec spec, TrainingConfig config) {
        String layer = spec instanceof CharRnn.Spec ? "simple_rnn" : ((RnnClassifier.Spec) spec).cell().kerasName();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray[] batch = batch(spec, manager);
            double[] gradient;
            double[] before;
            try (Model probe = fresh(spec, config)) {
                StepProbe.Result r = StepProbe.run(probe, batch[0], batch[1], manager);
                gradient = toDouble(r.gradients().get(layer + ".l_0_i2h_BIAS").toFloatArray());
                assertTrue(!r.gradients().containsKey(layer + ".l_0_h2h_BIAS"), "the h2h bias takes no gradient");
            }
            double[] after;
            float[] h2h;
            try (TrainingSession session = TrainingSession.start(spec, config, Device.cpu())) {
                before = effectiveBias(session, layer);
                session.trainEpoch(oneBatch(batch), null);
                after = effectiveBias(session, layer);
                h2h = parameter(session, layer + ".l_0_h2h_BIAS").toFloatArray();
            }
            int moved = 0;
            for (int i = 0; i < gradient.length; i++) {
                double g = gradient[i];
                // one step of one bias: SGD -lr g; Adam's first step -lr g / (|g| + eps)
                double expected = config.optimizer() == OptimizerKind.SGD ? -LR * g
                        : -LR * g / (Math.abs(g) + config.adamEpsilon());
                double step = after[i] - before[i];
                // float32 rounding of the stored biases (an LSTM's forget bias sits at 1) plus relative noise
                double rounding = 2 * Math.ulp((float) Math.abs(after[i])) + 1e-4 * Math.abs(expected);
                assertEquals(expected, step, rounding,
                        spec.modelName() + " " + config.optimizer() + " bias " + i + ": gradient " + g);
                if (Math.abs(expected) > 1e-3 * LR) {
                    moved++;
                }
            }
            assertTrue(moved > gradient.length / 2, "most biases take a real step: " + moved);
            for (float v : h2h) {
                assertEquals(0f, v, "the hidden-to-hidden bias stays zero");
            }
        }
    }

    static Stream<Arguments> twoBiasModels() {
        return Stream.of(Arguments.of(new RnnClassifier.Spec(ROWS, 4, RecurrentCell.GRU, 8, WeightInit.KERAS)),
                Arguments.of(new RnnClassifier.Spec(ROWS, 4, RecurrentCell.SIMPLE_RNN, 8, WeightInit.PYTORCH)),
                Arguments.of(new RnnClassifier.Spec(ROWS, 4, RecurrentCell.LSTM, 8, WeightInit.PYTORCH)),
                Arguments.of(new CharRnn.Spec(7, 5, 4, 8, WeightInit.PYTORCH)));
    }

    @ParameterizedTest
    @MethodSource("twoBiasModels")
    void gruAndPyTorchCellsTrainBothBiases(ModelSpec spec) {
        String layer = spec instanceof CharRnn.Spec ? "simple_rnn" : ((RnnClassifier.Spec) spec).cell().kerasName();
        TrainingConfig config = TrainingConfig.sgd(LR);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                TrainingSession session = TrainingSession.start(spec, config, Device.cpu())) {
            float[] h2h = parameter(session, layer + ".l_0_h2h_BIAS").toFloatArray();
            session.trainEpoch(oneBatch(batch(spec, manager)), null);
            float[] trained = parameter(session, layer + ".l_0_h2h_BIAS").toFloatArray();
            int changed = 0;
            for (int i = 0; i < h2h.length; i++) {
                changed += h2h[i] != trained[i] ? 1 : 0;
            }
            assertTrue(changed > h2h.length / 2, "the hidden-to-hidden bias is trained: " + changed + " moved");
        }
    }

    private static Model fresh(ModelSpec spec, TrainingConfig config) {
        TorchRuntime.prepareFor(EngineThreads.defaultsFor(spec.modelName()));
        JniUtils.setSeed(config.seed());
        return spec.newModel(Device.cpu());
    }

    private static NDArray parameter(TrainingSession session, String name) {
        Map<String, Parameter> named = ((SeedModel) session.model().getBlock()).namedParameters();
        return named.get(name).getArray();
    }

    private static double[] effectiveBias(TrainingSession session, String layer) {
        float[] i2h = parameter(session, layer + ".l_0_i2h_BIAS").toFloatArray();
        float[] h2h = parameter(session, layer + ".l_0_h2h_BIAS").toFloatArray();
        double[] sum = new double[i2h.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = (double) i2h[i] + h2h[i];
        }
        return sum;
    }

    /** Eight random examples: pixels in [0, 1), or character indices, with random labels. */
    private static NDArray[] batch(ModelSpec spec, NDManager manager) {
        Random random = new Random(7);
        int n = 8;
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(spec.outputs());
        }
        Shape shape = new Shape(n).addAll(spec.exampleShape());
        NDArray x;
        if (spec.inputType() == DataType.INT64) {
            long[] chars = new long[Math.toIntExact(shape.size())];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = random.nextInt(spec.outputs());
            }
            x = manager.create(chars, shape);
        } else {
            float[] pixels = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextFloat();
            }
            x = manager.create(pixels, shape);
        }
        return new NDArray[] {x, manager.create(labels)};
    }

    private static EpochSource oneBatch(NDArray[] batch) {
        return (manager, epoch) -> {
            NDManager owned = manager.newSubManager();
            NDArray x = batch[0].duplicate();
            NDArray y = batch[1].duplicate();
            x.attach(owned);
            y.attach(owned);
            return List.of(new Batch(owned, new NDList(x), new NDList(y), (int) y.size(), null, null, 0, 1));
        };
    }

    private static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }
}
