package io.github.rosettadl.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.models.BatchNormCNN;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.Mlp;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.models.WeightInit;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.testing.GeneratedImages;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.LearningRateSchedule;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

class CheckpointTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 12);
    private static final DataDescription DATA = new DataDescription("generated", List.of("a", "b", "c", "d"),
            Normalization.divideBy255(1));

    @TempDir
    Path dir;

    @BeforeAll
    static void oneThreadForExactRepeats() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    private static GeneratedImages train() {
        return new GeneratedImages(SHAPE, 4, 256, 32, 11);
    }

    @Test
    void aSavedModelLoadsWithTheSameWeightsAndDescription() throws IOException {
        Path file = dir.resolve("mlp.ckpt");
        float[] expected;
        try (TrainingSession session = TrainingSession.start(new Mlp.Spec(SHAPE, 4, 16, io.github.rosettadl.core.models.WeightInit.KERAS),
                TrainingConfig.adam(1e-3f).withEpochs(2).withAdamEpsilon(1e-7f), Device.cpu())) {
            session.fit(train(), null);
            expected = logits(session.model());
            Checkpoint.save(file, session, DATA);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        try (LoadedCheckpoint loaded = Checkpoint.load(file, Device.cpu())) {
            assertArrayEquals(expected, logits(loaded.model()));
            CheckpointDescription d = loaded.description();
            assertEquals(new Mlp.Spec(SHAPE, 4, 16, io.github.rosettadl.core.models.WeightInit.KERAS), d.model());
            assertEquals(2, d.epoch());
            assertEquals(2, d.history().size());
            assertEquals(d.history().get(1), d.metrics());
            assertEquals(1e-7f, d.training().adamEpsilon());
            assertEquals(DATA, d.data());
            assertArrayEquals(new long[] {1, 12, 12}, d.inputShape());
            assertEquals(List.of("dense.weight", "dense.bias", "dense_1.weight", "dense_1.bias"),
                    d.parameters().stream().map(CheckpointDescription.Tensor::name).toList());
            assertEquals(2 * 8, d.optimizer().steps());
        }
        String json = new String(CheckpointEntries.read(file).get("checkpoint.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"name\": \"mlp\""), json);
    }

    private static float[] logits(Model model) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = manager.create(new GeneratedImages(SHAPE, 4, 4, 4, 99).mean(2), SHAPE.withBatch(1));
            return model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false)
                    .head().toFloatArray();
        }
    }

    @Test
    void aResumedRunRepeatsTheUninterruptedLossCurveExactly() {
        TrainingConfig config = TrainingConfig.adam(1e-3f).withEpochs(4).withSeed(5);
        List<EpochMetrics> straight;
        float[] straightWeights;
        try (TrainingSession session = TrainingSession.start(new SimpleCNN.Spec(SHAPE, 4), config, Device.cpu())) {
            straight = session.fit(train(), null).epochs();
            straightWeights = logits(session.model());
        }
        Path file = dir.resolve("cnn.ckpt");
        try (TrainingSession session = TrainingSession.start(new SimpleCNN.Spec(SHAPE, 4), config.withEpochs(2),
                Device.cpu())) {
            session.fit(train(), null, m -> Checkpoint.save(file, session, DATA));
        }
        List<EpochMetrics> resumed;
        try (TrainingSession session = Checkpoint.resume(file, Device.cpu(), 4)) {
            assertEquals(2, session.completedEpochs());
            resumed = session.fit(train(), null).epochs();
            assertArrayEquals(straightWeights, logits(session.model()));
        }
        assertEquals(4, resumed.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(straight.get(i).trainLoss(), resumed.get(i).trainLoss(), "epoch " + (i + 1) + " loss");
            assertEquals(straight.get(i).trainAccuracy(), resumed.get(i).trainAccuracy(), "epoch " + (i + 1));
        }
    }

    @Test
    void aVersion1CheckpointResumesWithItsAdamMomentsMultipliedOut() throws IOException {
        TrainingConfig config = TrainingConfig.adam(1e-2f).withEpochs(2).withSeed(5);
        Path current = dir.resolve("v2.ckpt");
        try (TrainingSession session = TrainingSession.start(new Mlp.Spec(SHAPE, 4), config, Device.cpu())) {
            session.fit(train(), null, m -> Checkpoint.save(current, session, DATA));
        }
        // version 1 saved m / (1 - beta1) and v / (1 - beta2)
        Path old = dir.resolve("v1.ckpt");
        Map<String, byte[]> entries = CheckpointEntries.read(current);
        FloatBuffer moments = ByteBuffer.wrap(entries.get("optimizer.bin")).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        ByteBuffer scaled = ByteBuffer.allocate(moments.capacity() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < moments.capacity(); i++) {
            scaled.putFloat((float) (moments.get(i) / (i < moments.capacity() / 2 ? 1 - 0.9 : 1 - 0.999)));
        }
        entries.put("optimizer.bin", scaled.array());
        CheckpointEntries.write(old, entries);
        rewriteJson(old, json -> json.replace("\"formatVersion\": 2", "\"formatVersion\": 1"));

        float[] fromCurrent;
        try (TrainingSession session = Checkpoint.resume(current, Device.cpu(), 4)) {
            session.fit(train(), null);
            fromCurrent = logits(session.model());
        }
        try (TrainingSession session = Checkpoint.resume(old, Device.cpu(), 4)) {
            session.fit(train(), null);
            float[] fromOld = logits(session.model());
            for (int i = 0; i < fromCurrent.length; i++) {
                assertEquals(fromCurrent[i], fromOld[i], 1e-4 * Math.max(1, Math.abs(fromCurrent[i])), "logit " + i);
            }
        }
    }

    @Test
    void batchNormStatisticsAndTheCosineScheduleResumeExactly() {
        // no dropout: libtorch's generator state is not part of a checkpoint, so dropout masks would differ
        BatchNormCNN.Spec spec = new BatchNormCNN.Spec(SHAPE, 4, List.of(16, 32), 1, 16, 0f, WeightInit.PYTORCH);
        TrainingConfig config = TrainingConfig.adam(1e-2f).withEpochs(4).withSeed(5)
                .withSchedule(LearningRateSchedule.COSINE);
        List<EpochMetrics> straight;
        float[] straightLogits;
        try (TrainingSession session = TrainingSession.start(spec, config, Device.cpu())) {
            straight = session.fit(train(), null).epochs();
            straightLogits = logits(session.model());
        }
        Path file = dir.resolve("bn.ckpt");
        // the schedule spans the run's 4 epochs, so the interrupted run is configured for 4 and stops after 2
        try (TrainingSession session = TrainingSession.start(spec, config, Device.cpu())) {
            session.trainEpoch(train(), null);
            session.trainEpoch(train(), null);
            Checkpoint.save(file, session, DATA);
        }
        try (TrainingSession session = Checkpoint.resume(file, Device.cpu())) {
            assertEquals(LearningRateSchedule.COSINE, session.config().schedule());
            List<EpochMetrics> resumed = session.fit(train(), null).epochs();
            assertArrayEquals(straightLogits, logits(session.model()), "weights and running statistics");
            assertEquals(straight.get(3).trainLoss(), resumed.get(3).trainLoss());
        }
    }

    @Test
    void sgdMomentumStateSurvivesAResumeToo() {
        TrainingConfig config = TrainingConfig.sgd(0.05f).withMomentum(0.9f).withEpochs(2);
        double straight;
        try (TrainingSession session = TrainingSession.start(new Mlp.Spec(SHAPE, 4), config, Device.cpu())) {
            straight = session.fit(train(), null).epochs().get(1).trainLoss();
        }
        Path file = dir.resolve("sgd.ckpt");
        try (TrainingSession session = TrainingSession.start(new Mlp.Spec(SHAPE, 4), config.withEpochs(1),
                Device.cpu())) {
            session.fit(train(), null);
            Checkpoint.save(file, session, DATA);
        }
        try (TrainingSession session = Checkpoint.resume(file, Device.cpu(), 2)) {
            assertEquals(straight, session.fit(train(), null).epochs().get(1).trainLoss());
        }
    }

    private Path saved() {
        Path file = dir.resolve("model.ckpt");
        try (TrainingSession session = TrainingSession.start(new Mlp.Spec(SHAPE, 4), TrainingConfig.adam(1e-3f),
                Device.cpu())) {
            session.trainEpoch(train(), null);
            Checkpoint.save(file, session, DATA);
        }
        return file;
    }

    private static CheckpointException loadFails(Path file) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, Device.cpu()));
        assertTrue(e.getMessage().startsWith("Checkpoint " + file + ": "), e.getMessage());
        return e;
    }

    @Test
    void aMissingFileSaysSo() {
        assertTrue(loadFails(dir.resolve("nothing.ckpt")).getMessage().contains("no such file"));
    }

    @Test
    void aFileThatIsNotAZipIsNotACheckpoint() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.ckpt"), "just some text, not a checkpoint");
        assertTrue(loadFails(file).getMessage().contains("not a Rosetta DL checkpoint"));
    }

    @Test
    void aTruncatedFileIsReportedAsTruncated() throws IOException {
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
        String message = loadFails(file).getMessage();
        assertTrue(message.contains("truncated"), message);
    }

    @Test
    void aFlippedByteInTheWeightsFailsTheChecksum() throws IOException {
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40; // the middle of the file lies inside parameters.bin
        Files.write(file, bytes);
        String message = loadFails(file).getMessage();
        assertTrue(message.contains("corrupt") && message.contains("CRC"), message);
    }

    @Test
    void aDescriptionThatDisagreesWithTheWeightsIsAMismatch() throws IOException {
        Path file = saved();
        rewriteJson(file, json -> json.replace("\"classes\": 4", "\"classes\": 3"));
        String message = loadFails(file).getMessage();
        // the class names are checked first: four names for three outputs
        assertTrue(message.contains("data.classNames") && message.contains("3 outputs"), message);
    }

    @Test
    void anUnknownModelOrFormatVersionIsNamed() throws IOException {
        Path file = saved();
        rewriteJson(file, json -> json.replace("\"name\": \"mlp\"", "\"name\": \"transformer\""));
        String unknown = loadFails(file).getMessage();
        assertTrue(unknown.contains("Unknown model 'transformer'") && unknown.contains("simple-cnn"), unknown);

        Path other = saved();
        rewriteJson(other, json -> json.replace("\"formatVersion\": 2", "\"formatVersion\": 3"));
        String newer = loadFails(other).getMessage();
        assertTrue(newer.contains("format version 3") && newer.contains("versions 1 to 2"), newer);
    }

    @Test
    void missingWeightsAreReportedAsIncomplete() throws IOException {
        Path file = saved();
        Map<String, byte[]> entries = CheckpointEntries.read(file);
        entries.remove("parameters.bin");
        CheckpointEntries.write(file, entries);
        assertTrue(loadFails(file).getMessage().contains("parameters.bin is missing"));
    }

    @Test
    void savingIntoAMissingFolderFailsNamingTheFileAndWritesNothing() {
        Path file = dir.resolve("no-such-folder").resolve("model.ckpt");
        try (TrainingSession session = TrainingSession.start(new Mlp.Spec(SHAPE, 4), TrainingConfig.adam(1e-3f),
                Device.cpu())) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> Checkpoint.save(file, session, DATA));
            assertTrue(e.getMessage().startsWith("Checkpoint " + file), e.getMessage());
            IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
                    () -> Checkpoint.save(dir.resolve("x.ckpt"), session,
                            new DataDescription("generated", List.of("a", "b"), Normalization.divideBy255(1))));
            assertTrue(names.getMessage().contains("4 outputs"), names.getMessage());
        }
        assertTrue(!Files.exists(file.getParent()));
    }

    private static void rewriteJson(Path file, UnaryOperator<String> edit) throws IOException {
        Map<String, byte[]> entries = CheckpointEntries.read(file);
        String json = new String(entries.get("checkpoint.json"), StandardCharsets.UTF_8);
        String edited = edit.apply(json);
        assertTrue(!edited.equals(json), "the edit must change the JSON");
        entries.put("checkpoint.json", edited.getBytes(StandardCharsets.UTF_8));
        CheckpointEntries.write(file, entries);
    }
}
