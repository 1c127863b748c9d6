package io.github.rosettadl.core.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.predict.TextGenerator;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.testing.GeneratedText;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

class CharRnnTrainingTest {

    private static final String TEXT = "the quick brown fox jumps over the lazy dog. ";

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    @Test
    void theLossFallsAndTheTrainedModelWritesTheTextItLearnt() {
        GeneratedText text = new GeneratedText(TEXT, 40, 12, 32, 1);
        int vocabulary = text.vocabulary().size();
        Path file = dir.resolve("char-rnn.ckpt");
        List<EpochMetrics> epochs;
        try (TrainingSession session = TrainingSession.start(new CharRnn.Spec(vocabulary, 12),
                TrainingConfig.adam(1e-2f).withEpochs(4).withBatchSize(32).withAdamEpsilon(1e-7f), Device.cpu())) {
            epochs = session.fit(text, null).epochs();
            Checkpoint.save(file, session, new DataDescription("generated text", text.vocabulary(), null));
        }
        assertTrue(epochs.get(3).trainLoss() < 0.5 * epochs.get(0).trainLoss(), epochs.toString());
        assertTrue(epochs.get(0).trainLoss() < Math.log(vocabulary) + 0.5, "starts near a uniform guess");

        try (TextGenerator generator = TextGenerator.load(file, Device.cpu())) {
            String cold = generator.generate("the quick ", 30, 0.05f, 7);
            assertEquals("the quick brown fox jumps over the", cold.substring(0, 34), cold);
            String warm = generator.generate("the ", 60, 1.5f, 7);
            assertEquals(64, warm.length());
            assertEquals(warm, generator.generate("the ", 60, 1.5f, 7), "a seed fixes the sample");
            for (char ch : warm.toCharArray()) {
                assertTrue(TEXT.indexOf(ch) >= 0, warm);
            }
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> generator.generate("THE", 5, 1f, 1));
            assertTrue(unknown.getMessage().contains("'T'"), unknown.getMessage());
            assertThrows(IllegalArgumentException.class, () -> generator.generate("the", 5, 0f, 1));
        }
    }
}
