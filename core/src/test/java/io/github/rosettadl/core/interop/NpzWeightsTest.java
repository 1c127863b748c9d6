package io.github.rosettadl.core.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.checkpoint.Normalization;
import io.github.rosettadl.core.models.BatchNormCNN;
import io.github.rosettadl.core.models.CharRnn;
import io.github.rosettadl.core.models.ImageModelSpec;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.Mlp;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.RecurrentCell;
import io.github.rosettadl.core.models.RnnClassifier;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.models.WeightInit;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Weights written as .npz under the twins' state_dict names, and read back. */
class NpzWeightsTest {

    private static final ImageShape GREY = new ImageShape(1, 12, 12);
    private static final ImageShape RGB = new ImageShape(3, 16, 16);
    private static final DataDescription DATA = new DataDescription("generated", List.of("a", "b", "c", "d"),
            Normalization.divideBy255(1));

    @TempDir
    Path dir;

    @BeforeAll
    static void oneThread() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    private static Model model(ModelSpec spec, int seed) {
        Engine.getEngine("PyTorch").setRandomSeed(seed);
        return spec.newModel(Device.cpu());
    }

    @Test
    void theFileHoldsTheTwinsStateDictNamesAndShapes() throws IOException {
        Path file = dir.resolve("bn.npz");
        try (Model model = model(new BatchNormCNN.Spec(GREY, 4, List.of(16, 32), 1, 8, 0.25f, WeightInit.PYTORCH), 1)) {
            NpzWeights.write(model, file);
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDList read = NDList.decode(manager, Files.readAllBytes(file));
            List<String> names = new ArrayList<>();
            read.forEach(a -> names.add(a.getName() + " " + a.getShape() + " " + a.getDataType()));
            // nn.Conv2d(bias=False), nn.BatchNorm2d and nn.Linear in the order of BatchNormCNN's state_dict()
            assertEquals(List.of("conv1.weight (16, 1, 3, 3) float32", "bn1.weight (16) float32",
                    "bn1.bias (16) float32", "bn1.running_mean (16) float32", "bn1.running_var (16) float32",
                    "bn1.num_batches_tracked () int64", "conv2.weight (32, 16, 3, 3) float32", "bn2.weight (32) float32",
                    "bn2.bias (32) float32", "bn2.running_mean (32) float32", "bn2.running_var (32) float32",
                    "bn2.num_batches_tracked () int64", "fc1.weight (8, 288) float32", "fc1.bias (8) float32",
                    "fc2.weight (4, 8) float32", "fc2.bias (4) float32"), names);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void recurrentParametersTakePyTorchsNames() {
        assertEquals("lstm.weight_ih_l0", StateDictNames.of("lstm.l_0_i2h_WEIGHT"));
        assertEquals("lstm.weight_hh_l0", StateDictNames.of("lstm.l_0_h2h_WEIGHT"));
        assertEquals("simple_rnn.bias_ih_l0", StateDictNames.of("simple_rnn.l_0_i2h_BIAS"));
        assertEquals("gru.bias_hh_l0", StateDictNames.of("gru.l_0_h2h_BIAS"));
        assertEquals("dense_1.weight", StateDictNames.of("dense_1.weight"));
        assertThrows(IllegalArgumentException.class, () -> StateDictNames.of("weight"));
    }

    @Test
    void writingThenReadingGivesIdenticalParametersAndLogits() {
        List<ImageModelSpec> specs = List.of(new SimpleCNN.Spec(GREY, 4), new Mlp.Spec(RGB, 4),
                new BatchNormCNN.Spec(RGB, 4, List.of(16, 32), 2, 8, 0.3f, WeightInit.PYTORCH),
                new RnnClassifier.Spec(RGB, 4, RecurrentCell.LSTM, 8, WeightInit.KERAS),
                new RnnClassifier.Spec(GREY, 4, RecurrentCell.GRU, 8, WeightInit.PYTORCH));
        for (ImageModelSpec spec : specs) {
            Path file = dir.resolve(spec.modelName() + ".npz");
            try (Model source = model(spec, 1); Model target = model(spec, 2)) {
                randomizeRunningStatistics(source);
                assertFalse(Arrays.equals(parameters(source).get(0), parameters(target).get(0)), "different seeds");
                NpzWeights.write(source, file);
                NpzWeights.read(target, file);
                List<float[]> expected = parameters(source);
                List<float[]> actual = parameters(target);
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), actual.get(i), spec + " parameter " + i);
                }
                assertArrayEquals(logits(source, spec), logits(target, spec), spec.toString());
            }
        }
    }

    @Test
    void aCheckpointExportsAndImportsBackWithTheSameWeights() {
        Path checkpoint = dir.resolve("cnn.ckpt");
        Path file = dir.resolve("cnn.npz");
        Path imported = dir.resolve("imported.ckpt");
        SimpleCNN.Spec spec = new SimpleCNN.Spec(GREY, 4);
        TrainingConfig config = TrainingConfig.adam(1e-3f).withEpochs(1);
        try (TrainingSession session = TrainingSession.start(spec, config, Device.cpu())) {
            Checkpoint.save(checkpoint, session, DATA);
        }
        NpzWeights.exportCheckpoint(checkpoint, file, Device.cpu());
        NpzWeights.importCheckpoint(file, spec, config, DATA, imported, Device.cpu());
        try (LoadedCheckpoint a = Checkpoint.load(checkpoint, Device.cpu());
                LoadedCheckpoint b = Checkpoint.load(imported, Device.cpu())) {
            List<float[]> expected = parameters(a.model());
            List<float[]> actual = parameters(b.model());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i);
            }
            assertEquals(DATA, b.description().data());
            assertEquals(0, b.description().epoch(), "no epoch was trained in Java");
        }
    }

    @Test
    void weightsOfAnotherModelNameWhatIsMissingAndUnexpected() {
        Path file = dir.resolve("mlp.npz");
        try (Model mlp = model(new Mlp.Spec(GREY, 4), 1)) {
            NpzWeights.write(mlp, file);
        }
        try (Model cnn = model(new SimpleCNN.Spec(GREY, 4), 2)) {
            List<float[]> before = parameters(cnn);
            WeightsFileException e = assertThrows(WeightsFileException.class, () -> NpzWeights.read(cnn, file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("missing tensor(s) conv1.weight (32, 1, 3, 3)"), e.getMessage());
            assertTrue(e.getMessage().contains("unexpected tensor(s) dense.weight (128, 144)"), e.getMessage());
            assertTrue(e.getMessage().contains("simple-cnn"), e.getMessage());
            assertUnchanged(before, parameters(cnn));
        }
    }

    @Test
    void weightsForAnotherImageShapeNameTheTensorAndBothShapes() {
        Path file = dir.resolve("grey.npz");
        try (Model grey = model(new SimpleCNN.Spec(GREY, 4), 1)) {
            NpzWeights.write(grey, file);
        }
        try (Model rgb = model(new SimpleCNN.Spec(RGB, 4), 2)) {
            List<float[]> before = parameters(rgb);
            WeightsFileException e = assertThrows(WeightsFileException.class, () -> NpzWeights.read(rgb, file));
            assertTrue(e.getMessage().contains("tensor conv1.weight has shape (32, 1, 3, 3), the model expects"
                    + " (32, 3, 3, 3)"), e.getMessage());
            assertTrue(e.getMessage().contains("tensor fc1.weight has shape (128, 1152), the model expects"
                    + " (128, 2048)"), e.getMessage());
            assertUnchanged(before, parameters(rgb));
        }
    }

    @Test
    void float64AndExtraTensorsAreRefusedByName() throws IOException {
        try (Model cnn = model(new SimpleCNN.Spec(GREY, 4), 1); NDManager manager = NDManager.newBaseManager()) {
            NDList tensors = new NDList();
            for (var p : ((SeedModel) cnn.getBlock()).namedParameters().entrySet()) {
                NDArray a = p.getValue().getArray();
                NDArray copy = p.getKey().equals("fc2.bias") ? a.toType(DataType.FLOAT64, true) : a.duplicate();
                copy.setName(StateDictNames.of(p.getKey()));
                tensors.add(copy);
            }
            NDArray extra = manager.zeros(new Shape(3));
            extra.setName("fc3.weight");
            tensors.add(extra);
            Path file = dir.resolve("odd.npz");
            try (OutputStream out = Files.newOutputStream(file)) {
                tensors.encode(out, NDList.Encoding.NPZ);
            }
            WeightsFileException e = assertThrows(WeightsFileException.class, () -> NpzWeights.read(cnn, file));
            assertTrue(e.getMessage().contains("tensor fc2.bias is float64, the model expects float32"), e.getMessage());
            assertTrue(e.getMessage().contains("unexpected tensor(s) fc3.weight (3)"), e.getMessage());
        }
    }

    @Test
    void damagedAndMissingFilesAreNamed() throws IOException {
        Path good = dir.resolve("good.npz");
        try (Model cnn = model(new SimpleCNN.Spec(GREY, 4), 1)) {
            NpzWeights.write(cnn, good);
            byte[] bytes = Files.readAllBytes(good);
            Path truncated = Files.write(dir.resolve("truncated.npz"), Arrays.copyOf(bytes, bytes.length / 2));
            Path text = Files.writeString(dir.resolve("text.npz"), "conv1.weight = 1, 2, 3\n");
            Path missing = dir.resolve("missing.npz");
            for (Path file : List.of(truncated, text, missing)) {
                WeightsFileException e = assertThrows(WeightsFileException.class, () -> NpzWeights.read(cnn, file));
                assertTrue(e.getMessage().startsWith("Weights file " + file + ": "), e.getMessage());
            }
            assertTrue(assertThrows(WeightsFileException.class, () -> NpzWeights.read(cnn, truncated)).getMessage()
                    .contains("damaged or truncated"));
            assertTrue(assertThrows(WeightsFileException.class, () -> NpzWeights.read(cnn, text)).getMessage()
                    .contains("not an .npz file"));
            assertTrue(assertThrows(WeightsFileException.class, () -> NpzWeights.read(cnn, missing)).getMessage()
                    .contains("no such file"));
        }
    }

    @Test
    void onlyImageModelsHaveTwins() {
        try (Model charRnn = model(new CharRnn.Spec(20, 8, 8, 16, WeightInit.KERAS), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NpzWeights.write(charRnn, dir.resolve("char.npz")));
            assertTrue(e.getMessage().contains("char-rnn is not an image classifier"), e.getMessage());
        }
    }

    @Test
    void aCheckpointIsNotTorchScriptAndTorchScriptLoadingNamesABadFile() throws IOException {
        Path checkpoint = dir.resolve("cnn.ckpt");
        try (TrainingSession session = TrainingSession.start(new SimpleCNN.Spec(GREY, 4),
                TrainingConfig.adam(1e-3f).withEpochs(1), Device.cpu())) {
            Checkpoint.save(checkpoint, session, DATA);
        }
        assertFalse(TorchScriptModels.isTorchScript(checkpoint));
        assertFalse(TorchScriptModels.isTorchScript(dir.resolve("missing.pt")));
        WeightsFileException e = assertThrows(WeightsFileException.class,
                () -> TorchScriptModels.load(checkpoint, Device.cpu()));
        assertTrue(e.getMessage().contains(checkpoint.toString()) && e.getMessage().contains("TorchScript"),
                e.getMessage());
        assertTrue(assertThrows(WeightsFileException.class,
                () -> TorchScriptModels.load(dir.resolve("missing.pt"), Device.cpu())).getMessage().contains("no such file"));
    }

    private static void randomizeRunningStatistics(Model model) {
        // fresh batch norm has mean 0 and variance 1 everywhere, which would hide swapped names
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (var p : ((SeedModel) model.getBlock()).namedParameters().entrySet()) {
                NDArray a = p.getValue().getArray();
                if (p.getKey().endsWith("runningMean") || p.getKey().endsWith("runningVar")
                        || p.getKey().endsWith("gamma") || p.getKey().endsWith("beta")) {
                    a.set(manager.randomUniform(0.5f, 1.5f, a.getShape()).toFloatArray());
                }
            }
        }
    }

    private static List<float[]> parameters(Model model) {
        List<float[]> values = new ArrayList<>();
        ((SeedModel) model.getBlock()).namedParameters().values().forEach(p -> values.add(p.getArray().toFloatArray()));
        return values;
    }

    private static float[] logits(Model model, ImageModelSpec spec) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            manager.getEngine().setRandomSeed(5);
            NDArray x = manager.randomUniform(0, 1, spec.input().withBatch(3));
            return model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false).head()
                    .toFloatArray();
        }
    }

    private static void assertUnchanged(List<float[]> before, List<float[]> after) {
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "a refused file changes no weight (parameter " + i + ")");
        }
    }
}
