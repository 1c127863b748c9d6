package io.github.rosettadl.core.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointEntries;
import io.github.rosettadl.core.checkpoint.CheckpointException;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.checkpoint.Normalization;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.Mlp;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.testing.GeneratedImages;
import io.github.rosettadl.core.training.Evaluation;
import io.github.rosettadl.core.training.Evaluator;
import io.github.rosettadl.core.training.History;
import io.github.rosettadl.core.training.OptimizerState;
import io.github.rosettadl.core.training.ParameterConstraint;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fine-tuning with a pruning mask, and pruned checkpoints: the removed weights and their Adam moments
 * stay exactly zero, the sparse file predicts what the model did, and a damaged one is refused.
 */
class PrunedTrainingTest {

    private static final ImageShape SHAPE = new ImageShape(1, 12, 12);
    private static final DataDescription DATA = new DataDescription("generated", List.of("a", "b", "c", "d"),
            Normalization.divideBy255(1));
    private static final TrainingConfig CONFIG = TrainingConfig.adam(1e-2f).withEpochs(1).withBatchSize(32);

    @TempDir
    static Path tmp;

    private static Path dense;

    @BeforeAll
    static void trainADenseModel() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
        dense = tmp.resolve("dense.ckpt");
        try (TrainingSession session = TrainingSession.start(new Mlp.Spec(SHAPE, 4), CONFIG, Device.cpu())) {
            session.fit(train(), null);
            Checkpoint.save(dense, session, DATA);
        }
    }

    private static GeneratedImages train() {
        return new GeneratedImages(SHAPE, 4, 512, 32, 3);
    }

    private static GeneratedImages test() {
        return new GeneratedImages(SHAPE, 4, 256, 64, 4);
    }

    /** The dense checkpoint with half its weights pruned, its Adam moments masked, two epochs to go. */
    private static Pruned pruned(boolean constrained) {
        OptimizerState state;
        try (TrainingSession saved = Checkpoint.resume(dense, Device.cpu())) {
            state = saved.optimizerState();
        }
        LoadedCheckpoint loaded = Checkpoint.load(dense, Device.cpu());
        SeedModel block = (SeedModel) loaded.model().getBlock();
        PruningMask mask = MagnitudePruning.prune(block, 0.5, PruningScope.GLOBAL, PruningMask.keepAll(block));
        TrainingSession session = TrainingSession.resume(loaded.model(), CONFIG.withEpochs(3),
                new History(loaded.description().history()), mask.applyTo(state));
        session.setParameterConstraint(constrained ? mask : ParameterConstraint.NONE);
        return new Pruned(session, mask);
    }

    private record Pruned(TrainingSession session, PruningMask mask) {
    }

    /** Every trained value, flat, in the mask's order. */
    private static float[] flat(TrainingSession session) {
        SeedModel block = (SeedModel) session.model().getBlock();
        List<float[]> parts = block.trainedParameters().stream().map(p -> p.getArray().toFloatArray()).toList();
        float[] all = new float[parts.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Test
    void removedWeightsAndTheirAdamMomentsStayExactlyZeroThroughFineTuning() {
        Pruned p = pruned(true);
        try (TrainingSession session = p.session()) {
            float[] before = flat(session);
            session.fit(train(), null);
            float[] after = flat(session);
            OptimizerState state = session.optimizerState();
            int removed = 0;
            int moved = 0;
            for (int i = 0; i < after.length; i++) {
                if (!p.mask().keeps(i)) {
                    removed++;
                    // == rather than assertEquals: -0.0 (a negative weight times 0) is zero too
                    assertTrue(after[i] == 0f, "removed weight " + i + " is " + after[i]);
                    for (float[] slot : state.slots()) {
                        assertTrue(slot[i] == 0f, "Adam's moment of removed weight " + i + " is " + slot[i]);
                    }
                } else if (after[i] != before[i]) {
                    moved++;
                }
            }
            assertEquals(p.mask().removed(), removed);
            assertTrue(moved > removed / 2, "fine-tuning trained the kept weights: " + moved + " moved");
            assertTrue(state.steps() > 16, "two epochs of steps were taken: " + state.steps());
        }
    }

    @Test
    void withoutTheMaskFineTuningBringsRemovedWeightsBack() {
        // the control of the test above: the same fine-tuning, no constraint
        Pruned p = pruned(false);
        try (TrainingSession session = p.session()) {
            session.fit(train(), null);
            float[] after = flat(session);
            int revived = 0;
            for (int i = 0; i < after.length; i++) {
                revived += !p.mask().keeps(i) && after[i] != 0f ? 1 : 0;
            }
            assertTrue(revived > p.mask().removed() / 2, revived + " of " + p.mask().removed() + " came back");
        }
    }

    @Test
    void aPrunedCheckpointIsSmallerAndPredictsExactlyWhatTheModelDid() throws IOException {
        Path file = tmp.resolve("pruned-round-trip.ckpt");
        Evaluation inSession;
        Pruned p = pruned(true);
        try (TrainingSession session = p.session()) {
            session.fit(train(), null);
            inSession = session.evaluate(test());
            PrunedCheckpoint.save(file, session, DATA, PruningSummary.of(p.mask(), PruningScope.GLOBAL, 0.5, 1, 2));
        }
        try (LoadedCheckpoint loaded = Checkpoint.load(file, Device.cpu())) {
            Evaluation reloaded = Evaluator.evaluate(loaded.model(), test());
            assertEquals(inSession.loss(), reloaded.loss(), 0, "the same logits give the same loss, to the bit");
            assertArrayEquals(inSession.predictions(), reloaded.predictions());
            assertEquals(3, loaded.description().epoch());
            SeedModel block = (SeedModel) loaded.model().getBlock();
            long zeros = block.trainedParameters().stream().filter(q -> q.getArray().getShape().dimension() >= 2)
                    .mapToLong(q -> MagnitudePruningTest.countZeros(q.getArray().toFloatArray())).sum();
            assertEquals(p.mask().removed(), zeros);
        }
        PruningSummary summary = PrunedCheckpoint.readSummary(file);
        assertNotNull(summary);
        assertEquals(0.5, summary.sparsity(), 1e-3);
        assertEquals(2, summary.fineTuneEpochs());
        assertEquals(null, PrunedCheckpoint.readSummary(dense), "a dense checkpoint has no pruning summary");
        long weights = 4L * p.mask().size();
        assertTrue(Files.size(file) < 0.7 * weights, Files.size(file) + " bytes against " + weights
                + " bytes of dense float32 weights");
    }

    @Test
    void aDamagedPrunedCheckpointGivesTheSameClearErrorsAsAnyOther() throws IOException {
        Path good = tmp.resolve("pruned-good.ckpt");
        Pruned p = pruned(true);
        try (TrainingSession session = p.session()) {
            PrunedCheckpoint.save(good, session, DATA, PruningSummary.of(p.mask(), PruningScope.GLOBAL, 0.5, 1, 0));
        }
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = tmp.resolve("truncated.ckpt");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(truncated, "truncated");

        Map<String, byte[]> entries = CheckpointEntries.read(good);
        byte[] sparse = entries.get("parameters.sparse");

        Map<String, byte[]> wrongCount = new LinkedHashMap<>(entries);
        byte[] counted = sparse.clone();
        ByteBuffer.wrap(counted).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 7);
        wrongCount.put("parameters.sparse", counted);
        assertRefused(write("wrong-count.ckpt", wrongCount), "parameters.sparse");

        Map<String, byte[]> flippedMask = new LinkedHashMap<>(entries);
        byte[] flipped = sparse.clone();
        flipped[8] ^= 0x01;
        flippedMask.put("parameters.sparse", flipped);
        assertRefused(write("flipped-mask.ckpt", flippedMask), "parameters.sparse");

        Map<String, byte[]> shortValues = new LinkedHashMap<>(entries);
        shortValues.put("parameters.sparse", Arrays.copyOf(sparse, sparse.length - 4));
        assertRefused(write("short-values.ckpt", shortValues), "parameters.sparse");

        Map<String, byte[]> noWeights = new LinkedHashMap<>(entries);
        noWeights.remove("parameters.sparse");
        assertRefused(write("no-weights.ckpt", noWeights), "parameters.bin is missing");

        // a consistent sparse buffer of the wrong length: caught by the checks every checkpoint has
        Map<String, byte[]> otherModel = new LinkedHashMap<>(entries);
        otherModel.put("parameters.sparse", SparseParameters.encode(new byte[4 * 100]));
        assertRefused(write("other-model.ckpt", otherModel), "parameters.bin holds 400 bytes");
    }

    @Test
    void sparseEncodingRoundTripsEveryValueAndCountsOnlyNonzeros() {
        float[] values = {0f, 1.5f, -0f, -2.25f, 0f, 0f, 0f, 0f, 3e-8f, 0f, Float.MIN_VALUE};
        ByteBuffer dense = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            dense.putFloat(v);
        }
        byte[] encoded = SparseParameters.encode(dense.array());
        assertEquals(8 + 2 + 4 * 4, encoded.length, "header, 2 mask bytes, 4 nonzero values");
        ByteBuffer decoded = ByteBuffer.wrap(SparseParameters.decode("x.sparse", encoded)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            assertEquals(v == 0f ? 0f : v, decoded.getFloat());
        }
        byte[] stray = encoded.clone();
        stray[9] |= (byte) 0x80; // bit 15 of a mask over 11 values
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparseParameters.decode("x.sparse", stray));
        assertTrue(e.getMessage().contains("x.sparse"), e.getMessage());
    }

    private static void assertRefused(Path file, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> {
            try (LoadedCheckpoint loaded = Checkpoint.load(file, Device.cpu())) {
                // loading is what must fail
            }
        });
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static Path write(String name, Map<String, byte[]> entries) throws IOException {
        Path file = tmp.resolve(name);
        CheckpointEntries.write(file, entries);
        return file;
    }
}
