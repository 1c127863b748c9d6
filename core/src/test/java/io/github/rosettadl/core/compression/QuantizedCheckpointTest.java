package io.github.rosettadl.core.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Parameter;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointEntries;
import io.github.rosettadl.core.checkpoint.CheckpointException;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.checkpoint.Normalization;
import io.github.rosettadl.core.models.BatchNormCNN;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.Mlp;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.models.WeightInit;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.testing.GeneratedImages;
import io.github.rosettadl.core.training.Evaluator;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

class QuantizedCheckpointTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 12);
    private static final DataDescription DATA = new DataDescription("generated", List.of("a", "b", "c", "d"),
            Normalization.divideBy255(1));

    @TempDir
    Path dir;

    @BeforeAll
    static void oneThread() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    private static GeneratedImages images(long seed) {
        return new GeneratedImages(SHAPE, 4, 256, 32, seed);
    }

    private Path trained(ModelSpec spec, String name) {
        Path file = dir.resolve(name + ".ckpt");
        try (TrainingSession session = TrainingSession.start(spec, TrainingConfig.adam(3e-3f).withEpochs(2),
                Device.cpu())) {
            session.fit(images(11), null);
            Checkpoint.save(file, session, DATA);
        }
        return file;
    }

    private Path mlp() {
        return trained(new Mlp.Spec(SHAPE, 4, 32, WeightInit.KERAS), "mlp");
    }

    private static Map<String, float[]> weights(Model model) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> p : ((SeedModel) model.getBlock()).namedParameters().entrySet()) {
            weights.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return weights;
    }

    @Test
    void aQuantizedCheckpointLoadsTheDequantizedWeightsAndKeepsBiasesAndBatchNormExact() {
        Path source = trained(new BatchNormCNN.Spec(SHAPE, 4, List.of(16), 1, 16, 0f, WeightInit.PYTORCH), "cnn");
        Path target = dir.resolve("cnn-int8.ckpt");
        QuantizationSummary summary = QuantizedCheckpoint.quantize(source, target);
        assertTrue(QuantizedCheckpoint.isQuantized(target) && !QuantizedCheckpoint.isQuantized(source));
        Map<String, float[]> before;
        Map<String, float[]> after;
        try (LoadedCheckpoint f = Checkpoint.load(source, Device.cpu());
                LoadedCheckpoint q = Checkpoint.load(target, Device.cpu())) {
            assertEquals(f.description().model(), q.description().model());
            assertEquals(f.description().history(), q.description().history());
            before = weights(f.model());
            after = weights(q.model());
        }
        Map<String, QuantizedTensor> stored = QuantizedCheckpoint.readInt8Tensors(target);
        int int8 = 0;
        for (Map.Entry<String, float[]> e : before.entrySet()) {
            String name = e.getKey();
            if (stored.containsKey(name)) {
                int8++;
                QuantizedTensor q = stored.get(name);
                assertArrayEquals(q.dequantize(), after.get(name), 0f, name + " loads as int8 * scale");
                assertEquals(null, Int8QuantizerTest.firstBeyondHalfAStep(e.getValue(), q), name);
                assertFalse(Arrays.equals(e.getValue(), after.get(name)), name + " did change by rounding");
            } else {
                assertArrayEquals(e.getValue(), after.get(name), 0f, name + " stays float32 exactly");
            }
        }
        // the convolution and both dense layers; batch norm's scale, shift and running statistics stay float32
        assertEquals(List.of("conv1.weight", "fc1.weight", "fc2.weight"), List.copyOf(stored.keySet()));
        assertEquals(3, int8);
        assertEquals(3, summary.int8Tensors());
        assertTrue(summary.largestErrorInSteps() <= 0.5 + 1e-6, "" + summary.largestErrorInSteps());
        long values = before.values().stream().mapToLong(w -> w.length).sum();
        assertEquals(values * 4, summary.float32WeightBytes());
        assertTrue(summary.sourceFileBytes() > 2.5 * summary.float32WeightBytes(), "Adam's two moments are saved too");
    }

    @Test
    void theQuantizedModelPredictsLikeTheFloatOneAndTakesAQuarterOfItsWeightBytes() throws IOException {
        Path source = mlp();
        Path target = dir.resolve("mlp-int8.ckpt");
        QuantizationSummary summary = QuantizedCheckpoint.quantize(source, target);
        double floatAccuracy;
        double int8Accuracy;
        try (LoadedCheckpoint f = Checkpoint.load(source, Device.cpu());
                LoadedCheckpoint q = Checkpoint.load(target, Device.cpu())) {
            floatAccuracy = Evaluator.evaluate(f.model(), images(11)).accuracy();
            int8Accuracy = Evaluator.evaluate(q.model(), images(11)).accuracy();
        }
        assertTrue(floatAccuracy > 0.6, "the model learned: " + floatAccuracy);
        assertEquals(floatAccuracy, int8Accuracy, 0.02);
        Map<String, byte[]> entries = CheckpointEntries.read(target);
        // 144 x 32 and 32 x 4 weights as int8; 32 + 4 scales and 32 + 4 biases as float32
        assertEquals(144 * 32 + 32 * 4, entries.get("weights-int8.bin").length);
        assertEquals(4 * (36 + 36), entries.get("weights-float32.bin").length);
        assertFalse(entries.containsKey("parameters.bin") || entries.containsKey("optimizer.bin"));
        assertEquals(Files.size(target), summary.quantizedFileBytes());
        assertTrue(summary.ratio() < 0.4, "ratio " + summary.ratio());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aQuantizedCheckpointCannotBeResumedOrQuantizedAgain() {
        Path source = mlp();
        Path target = dir.resolve("mlp-int8.ckpt");
        QuantizedCheckpoint.quantize(source, target);
        CheckpointException resume = assertThrows(CheckpointException.class,
                () -> Checkpoint.resume(target, Device.cpu()));
        assertTrue(resume.getMessage().contains("quantized") && resume.getMessage().contains("float32 checkpoint"),
                resume.getMessage());
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> QuantizedCheckpoint.quantize(target, dir.resolve("again.ckpt")));
        assertTrue(again.getMessage().contains("quantized already"), again.getMessage());
        IllegalArgumentException self = assertThrows(IllegalArgumentException.class,
                () -> QuantizedCheckpoint.quantize(source, source));
        assertTrue(self.getMessage().contains("another file"), self.getMessage());
        CheckpointException notInt8 = assertThrows(CheckpointException.class,
                () -> QuantizedCheckpoint.readInt8Tensors(source));
        assertTrue(notInt8.getMessage().contains("not a quantized checkpoint"), notInt8.getMessage());
    }

    private Path quantized() {
        Path target = dir.resolve("q.ckpt");
        QuantizedCheckpoint.quantize(mlp(), target);
        return target;
    }

    private static String loadFails(Path file) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, Device.cpu()));
        assertTrue(e.getMessage().startsWith("Checkpoint " + file + ": "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aDamagedQuantizedCheckpointFailsAsAnyCheckpointDoes() throws IOException {
        Path file = quantized();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertTrue(loadFails(file).contains("truncated"));

        file = quantized();
        bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40; // inside weights-int8.bin
        Files.write(file, bytes);
        String flipped = loadFails(file);
        assertTrue(flipped.contains("corrupt") && flipped.contains("CRC"), flipped);

        file = quantized();
        rewrite(file, "checkpoint.json", json -> json.replace("\"classes\": 4", "\"classes\": 3"));
        String classes = loadFails(file);
        assertTrue(classes.contains("data.classNames") && classes.contains("3 outputs"), classes);

        file = quantized();
        rewrite(file, "checkpoint.json", json -> {
            // a negative dimension: the int8 entries are never sized by it, the shape check names it first
            JsonObject d = JsonParser.parseString(json).getAsJsonObject();
            d.getAsJsonArray("parameters").get(0).getAsJsonObject().getAsJsonArray("shape").set(0, new JsonPrimitive(-32));
            return d.toString();
        });
        String negative = loadFails(file);
        assertTrue(negative.contains("parameters[0].shape") && negative.contains("at least 1"), negative);

        file = quantized();
        rewrite(file, "checkpoint.json", json -> json.replace("\"hidden\": 32", "\"hidden\": 33"));
        String shapes = loadFails(file);
        assertTrue(shapes.contains("parameters[0]") && shapes.contains("model.arguments"), shapes);
    }

    @Test
    void damagedInt8EntriesAreNamed() throws IOException {
        Path file = quantized();
        Map<String, byte[]> entries = CheckpointEntries.read(file);
        entries.remove("weights-int8.bin");
        CheckpointEntries.write(file, entries);
        assertTrue(loadFails(file).contains("weights-int8.bin is missing"));

        file = quantized();
        entries = CheckpointEntries.read(file);
        entries.put("weights-int8.bin", Arrays.copyOf(entries.get("weights-int8.bin"), 1000));
        CheckpointEntries.write(file, entries);
        String shorter = loadFails(file);
        assertTrue(shorter.contains("weights-int8.bin") && shorter.contains("truncated or corrupt"), shorter);

        file = quantized();
        rewrite(file, "quantization.json", json -> json.replace("\"dense_1.weight\"", "\"dense_1.bias\""));
        String listed = loadFails(file);
        assertTrue(listed.contains("dense_1.bias") && listed.contains("no output channels"), listed);

        file = quantized();
        entries = CheckpointEntries.read(file);
        byte[] floats = entries.get("weights-float32.bin");
        floats[3] = (byte) 0xff; // the first scale becomes a negative NaN
        floats[2] = (byte) 0xff;
        CheckpointEntries.write(file, entries);
        String scale = loadFails(file);
        assertTrue(scale.contains("weights-float32.bin") && scale.contains("scale of channel 0"), scale);
    }

    private static void rewrite(Path file, String entry, UnaryOperator<String> edit) throws IOException {
        Map<String, byte[]> entries = CheckpointEntries.read(file);
        String json = new String(entries.get(entry), StandardCharsets.UTF_8);
        String edited = edit.apply(json);
        assertTrue(!edited.equals(json), "the edit must change " + entry);
        entries.put(entry, edited.getBytes(StandardCharsets.UTF_8));
        CheckpointEntries.write(file, entries);
    }
}
