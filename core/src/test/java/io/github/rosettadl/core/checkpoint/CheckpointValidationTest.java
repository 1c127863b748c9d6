package io.github.rosettadl.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.rosettadl.core.models.BatchNormCNN;
import io.github.rosettadl.core.models.CharRnn;
import io.github.rosettadl.core.models.CifarCNN;
import io.github.rosettadl.core.models.DropoutMlp;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.Mlp;
import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.RecurrentCell;
import io.github.rosettadl.core.models.RnnClassifier;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.models.SoftmaxRegression;
import io.github.rosettadl.core.models.TanhCNN;
import io.github.rosettadl.core.models.WeightInit;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.testing.GeneratedImages;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Damaged descriptions: real checkpoints whose {@code checkpoint.json} is edited inside the zip, one
 * field at a time. Each must be refused by a {@link CheckpointException} that names the file and
 * the field and says how to fix it, never by a reflection or engine error.
 */
class CheckpointValidationTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 12);
    private static final List<String> NAMES = List.of("a", "b", "c", "d");

    @TempDir
    static Path fixtures;

    @TempDir
    Path dir;

    /** One saved checkpoint of each kind the cases edit. */
    private static final Map<String, Path> SAVED = new LinkedHashMap<>();

    @BeforeAll
    static void saveOneCheckpointOfEachKind() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
        DataDescription grey = new DataDescription("generated", NAMES, Normalization.divideBy255(1));
        try (TrainingSession session = TrainingSession.start(new Mlp.Spec(SHAPE, 4, 16, WeightInit.KERAS),
                TrainingConfig.adam(1e-3f), Device.cpu())) {
            session.trainEpoch(new GeneratedImages(SHAPE, 4, 64, 32, 3), null);
            save("mlp", session, grey);
        }
        save("bn-cnn", new BatchNormCNN.Spec(SHAPE, 4, List.of(16, 32), 1, 16, 0.25f, WeightInit.PYTORCH),
                TrainingConfig.adam(1e-3f), grey);
        save("rnn", new RnnClassifier.Spec(SHAPE, 4, RecurrentCell.LSTM, 8, WeightInit.KERAS),
                TrainingConfig.sgd(0.1f).withMomentum(0.9f), grey);
        save("char-rnn", new CharRnn.Spec(5, 8, 4, 8, WeightInit.KERAS), TrainingConfig.adam(1e-3f),
                new DataDescription("generated text", List.of("a", "b", "c", " ", "."), null));
        save("mnist-mlp", new Mlp.Spec(new ImageShape(1, 28, 28), 10, 8, WeightInit.KERAS), TrainingConfig.adam(1e-3f),
                new DataDescription("mnist", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                        Normalization.divideBy255(1)));
    }

    private static void save(String name, ModelSpec spec, TrainingConfig config, DataDescription data) {
        try (TrainingSession session = TrainingSession.start(spec, config, Device.cpu())) {
            save(name, session, data);
        }
    }

    private static void save(String name, TrainingSession session, DataDescription data) {
        Path file = fixtures.resolve(name + ".ckpt");
        Checkpoint.save(file, session, data);
        SAVED.put(name, file);
    }

    /** A checkpoint, its edit, the field the message must name and words it must contain. */
    private record Damage(String what, String checkpoint, Consumer<JsonObject> edit, String field, String words) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static Arguments damage(String what, String checkpoint, Consumer<JsonObject> edit, String field,
            String words) {
        return Arguments.of(new Damage(what, checkpoint, edit, field, words));
    }

    static Stream<Arguments> outOfRangeModelArguments() {
        return Stream.of(
                damage("mlp hidden 0", "mlp", j -> args(j).addProperty("hidden", 0), "model.arguments", "hidden"),
                damage("mlp hidden -5", "mlp", j -> args(j).addProperty("hidden", -5), "model.arguments", "hidden"),
                damage("one class", "mlp", j -> args(j).addProperty("classes", 1), "model.arguments", "2 classes"),
                damage("0 channels", "mlp", j -> args(j).getAsJsonObject("input").addProperty("channels", 0),
                        "model.arguments.input", "channels 0"),
                damage("negative height", "mlp", j -> args(j).getAsJsonObject("input").addProperty("height", -28),
                        "model.arguments.input", "height -28"),
                damage("unknown init", "mlp", j -> args(j).addProperty("init", "XAVIER"), "model.arguments",
                        "'init' is missing"),
                damage("no input", "mlp", j -> args(j).remove("input"), "model.arguments", "'input' is missing"),
                damage("unknown model", "mlp", j -> j.getAsJsonObject("model").addProperty("name", "transformer"),
                        "model.name", "Unknown model 'transformer'"),
                damage("dropout rate 1.5", "bn-cnn", j -> args(j).addProperty("dropoutRate", 1.5), "model.arguments",
                        "dropout rate"),
                damage("dropout rate -0.1", "bn-cnn", j -> args(j).addProperty("dropoutRate", -0.1),
                        "model.arguments", "dropout rate"),
                damage("a stage of 0 channels", "bn-cnn", j -> widths(j, 0, 32), "model.arguments", "widths"),
                damage("no stages", "bn-cnn", j -> widths(j), "model.arguments", "widths"),
                damage("width 20 is no multiple of 16", "bn-cnn", j -> widths(j, 16, 20), "model.arguments",
                        "multiple of"),
                damage("convsPerStage 0", "bn-cnn", j -> args(j).addProperty("convsPerStage", 0), "model.arguments",
                        "convsPerStage"),
                damage("six poolings on 12x12", "bn-cnn", j -> widths(j, 16, 16, 16, 16, 16, 16), "model.arguments",
                        "at least 64x64"),
                damage("unknown cell", "rnn", j -> args(j).addProperty("cell", "TRANSFORMER"), "model.arguments",
                        "'cell' is missing"),
                damage("rnn hidden 0", "rnn", j -> args(j).addProperty("hidden", 0), "model.arguments", "1 unit"),
                damage("vocabulary 1", "char-rnn", j -> args(j).addProperty("vocabulary", 1), "model.arguments",
                        "vocabulary 1"),
                damage("embedding 0", "char-rnn", j -> args(j).addProperty("embeddingSize", 0), "model.arguments",
                        "embedding 0"));
    }

    static Stream<Arguments> outOfRangeTrainingAndHistory() {
        return Stream.of(
                damage("learning rate -1", "mlp", j -> training(j).addProperty("learningRate", -1), "training",
                        "learning rate"),
                damage("learning rate NaN", "mlp", j -> training(j).addProperty("learningRate", Double.NaN),
                        "training", "learning rate"),
                damage("epochs 0", "mlp", j -> training(j).addProperty("epochs", 0), "training", "Epochs"),
                damage("batch size 0", "mlp", j -> training(j).addProperty("batchSize", 0), "training", "Batch size"),
                damage("momentum 1.5", "rnn", j -> training(j).addProperty("momentum", 1.5), "training", "Momentum"),
                damage("epsilon 0", "mlp", j -> training(j).addProperty("adamEpsilon", 0), "training", "epsilon"),
                damage("unknown optimizer", "mlp", j -> training(j).addProperty("optimizer", "LION"), "training",
                        "'optimizer' is missing"),
                damage("epoch -1", "mlp", j -> j.addProperty("epoch", -1), "epoch", "0 to 10"),
                damage("epoch beyond the run", "mlp", j -> j.addProperty("epoch", 11), "epoch", "0 to 10"),
                damage("epoch without history", "mlp", j -> j.addProperty("epoch", 2), "history", "epoch says 2"),
                damage("accuracy 1.5", "mlp", j -> history(j).addProperty("trainAccuracy", 1.5),
                        "history[0].trainAccuracy", "between 0 and 1"),
                damage("negative loss", "mlp", j -> history(j).addProperty("trainLoss", -0.5), "history[0].trainLoss",
                        "0 or more"),
                damage("history numbered wrong", "mlp", j -> history(j).addProperty("epoch", 3), "history[0].epoch",
                        "entry 1"),
                damage("metrics not the last epoch", "mlp", j -> j.getAsJsonObject("metrics").addProperty("seconds", 99),
                        "metrics", "last epoch"),
                damage("negative steps", "mlp", j -> optimizer(j).addProperty("steps", -1), "optimizer.steps",
                        "at least one step"),
                damage("3 Adam buffers", "mlp", j -> optimizer(j).addProperty("buffers", 3), "optimizer.buffers",
                        "keeps 2"),
                damage("momentum without its buffer", "rnn", j -> optimizer(j).addProperty("buffers", 0),
                        "optimizer.buffers", "keeps 1"),
                damage("optimizer kind differs", "mlp", j -> optimizer(j).addProperty("kind", "SGD"),
                        "optimizer.kind", "training.optimizer is adam"),
                damage("input shape differs", "mlp", j -> inputShape(j, 1, 12, 13), "inputShape", "[1, 12, 12]"),
                damage("no input shape", "mlp", j -> j.remove("inputShape"), "inputShape", "null"));
    }

    static Stream<Arguments> outOfRangeNormalization() {
        return Stream.of(
                damage("std 0", "mlp", j -> normalization(j).add("std", numbers(0)), "data.normalization", "std"),
                damage("two means, one std", "mlp", j -> normalization(j).add("mean", numbers(0, 0)),
                        "data.normalization", "one mean and one std"),
                damage("no means", "mlp", j -> normalization(j).remove("mean"), "data.normalization", "mean"),
                damage("mean NaN", "mlp", j -> normalization(j).add("mean", numbers(Double.NaN)),
                        "data.normalization", "finite"),
                damage("std infinite", "mlp", j -> normalization(j).add("std", numbers(Double.POSITIVE_INFINITY)),
                        "data.normalization", "finite"),
                damage("3 channels for a grey model", "mlp", j -> {
                    normalization(j).add("mean", numbers(0, 0, 0));
                    normalization(j).add("std", numbers(1, 1, 1));
                }, "data.normalization", "3 channel(s)"),
                damage("image model without normalization", "mlp", j -> data(j).remove("normalization"),
                        "data.normalization", "is missing"));
    }

    static Stream<Arguments> classNamesAgainstOutputs() {
        return Stream.of(
                damage("3 names for 4 outputs", "mlp", j -> classNames(j).remove(3), "data.classNames",
                        "lists 3 names, but the mlp in model.arguments has 4 outputs"),
                damage("5 names for 4 outputs", "mlp", j -> classNames(j).add("e"), "data.classNames",
                        "lists 5 names"),
                damage("no names", "mlp", j -> data(j).add("classNames", new JsonArray()), "data",
                        "needs the class names"),
                damage("a repeated name", "mlp", j -> classNames(j).set(2, classNames(j).get(0)), "data.classNames[2]",
                        "repeats 'a'"),
                damage("a null name", "mlp", j -> classNames(j).set(1, JsonNull.INSTANCE), "data",
                        "Class name 1 is null"),
                damage("6 characters for a vocabulary of 5", "char-rnn", j -> classNames(j).add("z"),
                        "data.classNames", "has 5 outputs"));
    }

    static Stream<Arguments> dataSetAgainstInputShape() {
        return Stream.of(
                damage("mnist but 1x12x12", "mlp", j -> data(j).addProperty("dataset", "mnist"), "data.dataset",
                        "mnist, whose images are 1x28x28"),
                damage("cifar10 but 1x12x12", "mlp", j -> data(j).addProperty("dataset", "cifar10"), "data.dataset",
                        "3x32x32"),
                damage("mnist with 4 classes", "mlp", j -> {
                    args(j).getAsJsonObject("input").addProperty("height", 28);
                    args(j).getAsJsonObject("input").addProperty("width", 28);
                    inputShape(j, 1, 28, 28);
                    data(j).addProperty("dataset", "Fashion-MNIST");
                }, "data.dataset", "10 classes"),
                damage("char-rnn on mnist", "char-rnn", j -> data(j).addProperty("dataset", "mnist"), "data.dataset",
                        "an image data set"));
    }

    static Stream<Arguments> sizesTooLargeToAllocate() {
        return Stream.of(
                // the tensors still describe 16 hidden units, so only the arguments ask for 2 billion
                damage("2 billion hidden units", "mlp", j -> args(j).addProperty("hidden", 2_000_000_000),
                        "parameters[0]", "expects dense.weight (2000000000, 144)"),
                damage("a 100000x100000 MNIST layer", "mnist-mlp", j -> {
                    args(j).addProperty("hidden", 100_000);
                    tensor(j, 0).add("shape", numbers(100_000, 100_000));
                }, "parameters[0].shape", "more values than one Java array holds"),
                damage("a tensor overflowing a long", "mlp", j -> tensor(j, 0).add("shape",
                        numbers(1L << 40, 1L << 40, 1L << 40)), "parameters[0].shape", "more values"),
                damage("more floats than parameters.bin", "mlp", j -> tensor(j, 1).add("shape", numbers(17)),
                        "parameters", "parameters.bin holds"),
                // a recurrent model's weights do not grow with the number of rows it reads
                damage("2 billion rows of 12 pixels", "rnn", j -> {
                    args(j).getAsJsonObject("input").addProperty("height", 2_000_000_000);
                    inputShape(j, 1, 2_000_000_000, 12);
                }, "inputShape", "more values per example"),
                damage("a 0 dimension", "mlp", j -> tensor(j, 1).add("shape", numbers(0)), "parameters[1].shape",
                        "at least 1"),
                damage("a negative dimension", "mlp", j -> tensor(j, 0).add("shape", numbers(-16, -144)),
                        "parameters[0].shape", "at least 1"));
    }

    static Stream<Arguments> tensorsAgainstTheArchitecture() {
        return Stream.of(
                damage("transposed weight", "mlp", j -> tensor(j, 0).add("shape", numbers(144, 16)), "parameters[0]",
                        "expects dense.weight (16, 144)"),
                damage("renamed tensor", "mlp", j -> tensor(j, 2).addProperty("name", "dense_9.weight"),
                        "parameters[2]", "expects dense_1.weight"),
                damage("hidden 8 but 16 saved", "mlp", j -> args(j).addProperty("hidden", 8), "parameters[0]",
                        "expects dense.weight (8, 144)"),
                damage("a tensor too few", "mlp", j -> {
                    j.getAsJsonArray("parameters").remove(3);
                    tensor(j, 2).add("shape", numbers(4, 17));
                }, "parameters", "lists 3 weight tensors, but mlp with these model.arguments has 4"),
                damage("classes 3 but 4 saved", "mlp", j -> {
                    args(j).addProperty("classes", 3);
                    classNames(j).remove(3);
                }, "parameters[2]", "expects dense_1.weight (3, 16)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void outOfRangeModelArguments(Damage damage) throws IOException {
        refused(damage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void outOfRangeTrainingAndHistory(Damage damage) throws IOException {
        refused(damage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void outOfRangeNormalization(Damage damage) throws IOException {
        refused(damage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void classNamesAgainstOutputs(Damage damage) throws IOException {
        refused(damage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void dataSetAgainstInputShape(Damage damage) throws IOException {
        refused(damage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sizesTooLargeToAllocate(Damage damage) throws IOException {
        refused(damage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void tensorsAgainstTheArchitecture(Damage damage) throws IOException {
        refused(damage);
    }

    @Test
    void everySavedKindLoadsAndResumesUnedited() throws IOException {
        for (Map.Entry<String, Path> saved : SAVED.entrySet()) {
            Path copy = Files.copy(saved.getValue(), dir.resolve(saved.getKey() + ".ckpt"));
            rewrite(copy, j -> { });
            try (LoadedCheckpoint loaded = Checkpoint.load(copy, Device.cpu());
                    TrainingSession resumed = Checkpoint.resume(copy, Device.cpu())) {
                assertEquals(Checkpoint.readDescription(saved.getValue()).model(), loaded.description().model());
                assertEquals(loaded.description().epoch(), resumed.completedEpochs());
            }
        }
    }

    @Test
    void theShapesFoundWithoutAllocatingAreTheModelsOwn() {
        ImageShape grey = new ImageShape(1, 28, 28);
        ImageShape colour = new ImageShape(3, 32, 32);
        List<ModelSpec> specs = List.of(new SoftmaxRegression.Spec(grey, 10), new Mlp.Spec(grey, 10),
                new SimpleCNN.Spec(grey, 10), new CifarCNN.Spec(colour, 10), new TanhCNN.Spec(grey, 10),
                new DropoutMlp.Spec(grey, 10),
                new RnnClassifier.Spec(grey, 10, RecurrentCell.SIMPLE_RNN, 16, WeightInit.KERAS),
                new RnnClassifier.Spec(grey, 10, RecurrentCell.LSTM, 16, WeightInit.KERAS),
                new RnnClassifier.Spec(grey, 10, RecurrentCell.GRU, 16, WeightInit.PYTORCH),
                new CharRnn.Spec(30, 40), new BatchNormCNN.Spec(colour, 10, List.of(16, 32, 64), 2, 32, 0.5f,
                        WeightInit.PYTORCH));
        assertEquals(ModelSpec.NAMES.size(), specs.stream().map(ModelSpec::modelName).distinct().count(),
                "every model is covered");
        for (ModelSpec spec : specs) {
            Map<String, Shape> probed = ParameterShapes.of(spec);
            try (Model model = spec.newModel(Device.cpu())) {
                Map<String, Parameter> real = ((SeedModel) model.getBlock()).namedParameters();
                assertEquals(List.copyOf(real.keySet()), List.copyOf(probed.keySet()), spec.modelName());
                real.forEach((name, p) -> assertArrayEquals(p.getArray().getShape().getShape(),
                        probed.get(name).getShape(), spec.modelName() + " " + name));
            }
        }
    }

    @Test
    void aLibraryCallerGetsAnExceptionForNullArguments() {
        assertThrows(NullPointerException.class, () -> Checkpoint.load(null, Device.cpu()));
        assertThrows(NullPointerException.class, () -> Checkpoint.load(SAVED.get("mlp"), null));
        assertThrows(NullPointerException.class, () -> Checkpoint.readDescription(null));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.resume(SAVED.get("mlp"), Device.cpu(), -1));
        assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
    }

    private void refused(Damage damage) throws IOException {
        Path file = Files.copy(SAVED.get(damage.checkpoint()), dir.resolve("damaged.ckpt"));
        rewrite(file, damage.edit());
        CheckpointException e = assertThrows(CheckpointException.class, () -> {
            try (LoadedCheckpoint loaded = Checkpoint.load(file, Device.cpu())) {
                loaded.description();
            }
        });
        String message = e.getMessage();
        assertTrue(message.startsWith("Checkpoint " + file + ": checkpoint.json field " + damage.field() + " "),
                message);
        assertTrue(message.contains(damage.words()), message);
        assertTrue(message.endsWith(DescriptionCheck.FIX), message);
        // the description alone, as evaluate reads it first, is refused the same way unless only
        // the architecture (which needs the engine) shows the damage
        if (!message.contains("with these model.arguments")) {
            assertEquals(message, assertThrows(CheckpointException.class,
                    () -> Checkpoint.readDescription(file)).getMessage());
        }
    }

    private static JsonObject args(JsonObject json) {
        return json.getAsJsonObject("model").getAsJsonObject("arguments");
    }

    private static JsonObject training(JsonObject json) {
        return json.getAsJsonObject("training");
    }

    private static JsonObject optimizer(JsonObject json) {
        return json.getAsJsonObject("optimizer");
    }

    private static JsonObject history(JsonObject json) {
        return json.getAsJsonArray("history").get(0).getAsJsonObject();
    }

    private static JsonObject data(JsonObject json) {
        return json.getAsJsonObject("data");
    }

    private static JsonObject normalization(JsonObject json) {
        return data(json).getAsJsonObject("normalization");
    }

    private static JsonArray classNames(JsonObject json) {
        return data(json).getAsJsonArray("classNames");
    }

    private static JsonObject tensor(JsonObject json, int i) {
        return json.getAsJsonArray("parameters").get(i).getAsJsonObject();
    }

    private static void widths(JsonObject json, int... widths) {
        JsonArray array = new JsonArray();
        for (int w : widths) {
            array.add(w);
        }
        args(json).add("widths", array);
    }

    private static void inputShape(JsonObject json, long... shape) {
        json.add("inputShape", numbers(shape));
    }

    private static JsonArray numbers(long... values) {
        JsonArray array = new JsonArray();
        for (long v : values) {
            array.add(v);
        }
        return array;
    }

    private static JsonArray numbers(double... values) {
        JsonArray array = new JsonArray();
        for (double v : values) {
            array.add(v);
        }
        return array;
    }

    /** Edits checkpoint.json inside the zip and writes the archive back, the weights untouched. */
    private static void rewrite(Path file, Consumer<JsonObject> edit) throws IOException {
        Map<String, byte[]> entries = CheckpointEntries.read(file);
        JsonObject json = JsonParser.parseString(new String(entries.get("checkpoint.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        edit.accept(json);
        String text = new GsonBuilder().serializeSpecialFloatingPointValues().setPrettyPrinting().create().toJson(json);
        entries.put("checkpoint.json", text.getBytes(StandardCharsets.UTF_8));
        CheckpointEntries.write(file, entries);
    }
}
