package io.github.rosettadl.core.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Pair;

import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.EpochSource;
import io.github.rosettadl.core.training.OptimizerKind;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The channels-last layout the convolutional models run in gives the numbers of the plain NCHW layout
 * to float32 noise: logits, the loss, the gradients (read off one SGD step) and one Adam step.
 */
class MemoryLayoutTest {

    private static final int BATCH = 16;
    private static final float LEARNING_RATE = 0.1f;

    @BeforeAll
    static void engine() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    @AfterEach
    void backToTheFastLayout() {
        MemoryLayout.channelsLast = true;
    }

    private static ModelSpec spec(String name) {
        return switch (name) {
            case "simple-cnn" -> new SimpleCNN.Spec(new ImageShape(1, 28, 28), 10);
            case "tanh-cnn" -> new TanhCNN.Spec(new ImageShape(1, 28, 28), 10);
            case "cifar-cnn" -> new CifarCNN.Spec(new ImageShape(3, 32, 32), 10, WeightInit.KERAS);
            default -> new BatchNormCNN.Spec(new ImageShape(3, 32, 32), 10, List.of(16, 32), 1, 32, 0f,
                    WeightInit.PYTORCH);
        };
    }

    /** What one step of a fresh model gives: logits before it, the loss, and every weight after it. */
    private record Step(float[] logits, double loss, List<float[]> weights) {}

    private static Step step(String model, TrainingConfig config, boolean channelsLast) {
        MemoryLayout.channelsLast = channelsLast;
        ModelSpec spec = spec(model);
        ImageShape shape = ((ImageModelSpec) spec).input();
        try (NDManager data = NDManager.newBaseManager(Device.cpu());
                TrainingSession session = TrainingSession.start(spec, config, Device.cpu())) {
            data.getEngine().setRandomSeed(7);
            NDArray x = data.randomUniform(0f, 1f, shape.withBatch(BATCH));
            NDArray y = data.randomInteger(0, 10, new Shape(BATCH), DataType.INT64);
            float[] logits;
            try (NDManager forward = data.newSubManager()) {
                logits = session.model().getBlock()
                        .forward(new ParameterStore(forward, false), new NDList(x), false)
                        .singletonOrThrow().toFloatArray();
            }
            EpochSource one = (manager, epoch) -> () -> new Iterator<Batch>() {
                private boolean given;

                @Override
                public boolean hasNext() {
                    return !given;
                }

                @Override
                public Batch next() {
                    given = true;
                    NDManager batch = manager.newSubManager();
                    return new Batch(batch, new NDList(x.duplicate()), new NDList(y.duplicate()), BATCH, null, null,
                            0, 1);
                }
            };
            double loss = session.trainEpoch(one, null).trainLoss();
            List<float[]> weights = new ArrayList<>();
            for (Pair<String, ai.djl.nn.Parameter> p : session.model().getBlock().getParameters()) {
                weights.add(p.getValue().getArray().toFloatArray());
            }
            return new Step(logits, loss, weights);
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / (1e-3 + Math.abs(expected[i])));
        }
        assertTrue(worst <= tolerance, what + " differs by " + worst + " (relative), more than " + tolerance);
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple-cnn", "tanh-cnn", "cifar-cnn", "batch-norm-cnn"})
    void bothLayoutsGiveTheSameLogitsGradientsAndSteps(String model) {
        for (TrainingConfig config : List.of(TrainingConfig.sgd(LEARNING_RATE).withBatchSize(BATCH),
                TrainingConfig.adam(1e-3f).withBatchSize(BATCH))) {
            Step plain = step(model, config, false);
            Step fast = step(model, config, true);
            assertClose(plain.logits(), fast.logits(), 1e-4, model + " logits");
            assertEquals(plain.loss(), fast.loss(), 1e-5 * Math.abs(plain.loss()), model + " loss");
            for (int i = 0; i < plain.weights().size(); i++) {
                String what = model + " " + config.optimizer() + " step, tensor " + i;
                if (config.optimizer() == OptimizerKind.SGD) {
                    // weight - 0.1 * gradient: equal weights mean equal gradients
                    assertClose(plain.weights().get(i), fast.weights().get(i), 1e-4, what);
                } else {
                    // Adam's first step is about lr * sign(gradient): where a gradient is near epsilon its
                    // float32 noise moves the step, so allow 2% of one step of 1e-3
                    float[] a = plain.weights().get(i);
                    float[] b = fast.weights().get(i);
                    double worst = 0;
                    for (int j = 0; j < a.length; j++) {
                        worst = Math.max(worst, Math.abs(a[j] - b[j]));
                    }
                    assertTrue(worst <= 2e-5, what + " differs by " + worst);
                }
            }
        }
    }

    /**
     * The names of the ops libtorch's profiler saw run inside max-pool backward, for one backward
     * pass through pooling and then {@code flatten}.
     */
    private static List<String> opsInsidePoolBackward(boolean keepGradientChannelsLast, Path trace) throws IOException {
        Shape pool = new Shape(2, 2);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = manager.randomUniform(0f, 1f, new Shape(8, 16, 12, 12));
            x.setRequiresGradient(true);
            // a dense gradient, as a linear layer after the flatten gives (that of sum() is a broadcast)
            NDArray outputGradient = manager.randomUniform(0f, 1f, new Shape(8, 16 * 6 * 6));
            JniUtils.startProfile(false, false, false);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray pooled = Pool.maxPool2d(MemoryLayout.channelsLast(x), pool, pool, new Shape(0, 0), false);
                NDArray flat = keepGradientChannelsLast ? MemoryLayout.flatten(pooled, 16 * 6 * 6)
                        : pooled.reshape(-1, 16 * 6 * 6);
                collector.backward(flat.mul(outputGradient).sum());
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
        }
        List<JsonObject> events = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(trace)).getAsJsonArray()) {
            if (e.isJsonObject() && e.getAsJsonObject().has("dur")) {
                events.add(e.getAsJsonObject());
            }
        }
        List<String> inside = new ArrayList<>();
        for (JsonObject outer : events) {
            if (!outer.get("name").getAsString().equals("aten::max_pool2d_with_indices_backward")) {
                continue;
            }
            double start = outer.get("ts").getAsDouble();
            double end = start + outer.get("dur").getAsDouble();
            for (JsonObject e : events) {
                double ts = e.get("ts").getAsDouble();
                if (e != outer && ts >= start && ts + e.get("dur").getAsDouble() <= end) {
                    inside.add(e.get("name").getAsString());
                }
            }
        }
        assertTrue(!inside.isEmpty() || events.stream()
                .anyMatch(e -> e.get("name").getAsString().equals("aten::max_pool2d_with_indices_backward")),
                "the profiler recorded no max-pool backward: " + events.size() + " events");
        return inside;
    }

    @Test
    void theGradientFlowingBackThroughTheFlattenStaysChannelsLast(@TempDir Path dir) throws IOException {
        // a plain reshape hands the pool an NCHW gradient, and libtorch copies between the layouts
        assertTrue(opsInsidePoolBackward(false, dir.resolve("plain.json")).contains("aten::contiguous"),
                "expected libtorch's max-pool backward to copy a plain-layout gradient");
        List<String> ops = opsInsidePoolBackward(true, dir.resolve("flatten.json"));
        assertTrue(!ops.contains("aten::contiguous") && !ops.contains("aten::copy_"),
                "max-pool backward copied between layouts after flatten: " + ops);
    }
}
