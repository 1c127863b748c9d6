package io.github.rosettadl.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.TrainingSession;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * A char-rnn checkpoint saved while its SimpleRNN still trained two biases: loading folds the
 * hidden-to-hidden bias into the input bias, so it predicts as before, and resuming drops that
 * bias's optimiser buffers.
 */
class SingleBiasCheckpointTest {

    private static final String I2H = "simple_rnn.l_0_i2h_BIAS";
    private static final String H2H = "simple_rnn.l_0_h2h_BIAS";

    @BeforeAll
    static void engine() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    private static Path oldCheckpoint() throws URISyntaxException {
        return Path.of(SingleBiasCheckpointTest.class.getResource("/io/github/rosettadl/core/predict/char-rnn-format1.ckpt")
                .toURI());
    }

    /** The tensors exactly as saved, by name, read from parameters.bin in the described order. */
    private static Map<String, float[]> savedTensors(Path file) throws IOException {
        CheckpointDescription d = Checkpoint.readDescription(file);
        byte[] bytes;
        try (ZipFile zip = new ZipFile(file.toFile()); InputStream in = zip.getInputStream(zip.getEntry("parameters.bin"))) {
            bytes = in.readAllBytes();
        }
        FloatBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        Map<String, float[]> tensors = new HashMap<>();
        for (CheckpointDescription.Tensor t : d.parameters()) {
            float[] values = new float[Math.toIntExact(new Shape(t.shape()).size())];
            floats.get(values);
            tensors.put(t.name(), values);
        }
        return tensors;
    }

    @Test
    void anOldCheckpointPredictsAsBeforeWithItsBiasesFolded() throws Exception {
        Path file = oldCheckpoint();
        Map<String, float[]> saved = savedTensors(file);
        float largest = 0;
        for (float v : saved.get(H2H)) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest > 1e-4, "the old checkpoint has a trained hidden-to-hidden bias: " + largest);
        try (LoadedCheckpoint loaded = Checkpoint.load(file, Device.cpu());
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Map<String, Parameter> named = ((SeedModel) loaded.model().getBlock()).namedParameters();
            assertArrayEquals(new float[saved.get(H2H).length], named.get(H2H).getArray().toFloatArray(),
                    "the hidden-to-hidden bias is zero after loading");
            NDArray chars = manager.arange(0, 24 * 40).reshape(24, 40).mod(24).toType(DataType.INT64, false);
            float[] folded = logits(loaded.model(), chars);
            // put the biases back as saved: the model as it predicted before the fold
            JniUtils.setGradMode(false);
            NDArray i2h = named.get(I2H).getArray();
            NDArray h2h = named.get(H2H).getArray();
            i2h.subi(i2h).addi(manager.create(saved.get(I2H)));
            h2h.addi(manager.create(saved.get(H2H)));
            float[] before = logits(loaded.model(), chars);
            for (int i = 0; i < before.length; i++) {
                assertEquals(before[i], folded[i], 1e-5f * Math.max(1, Math.abs(before[i])), "logit " + i);
            }
        }
    }

    @Test
    void anOldCheckpointResumesWithoutTheHiddenBiasBuffers() throws Exception {
        try (TrainingSession session = Checkpoint.resume(oldCheckpoint(), Device.cpu())) {
            long trained = ((SeedModel) session.model().getBlock()).trainedParameters().stream()
                    .mapToLong(p -> p.getArray().size()).sum();
            assertEquals(34400 / Float.BYTES - 64, trained, "every weight but the 64 hidden-to-hidden biases");
            assertEquals(2, session.optimizerState().slots().size());
            assertEquals(trained, session.optimizerState().slots().get(0).length);
            assertEquals(6, session.optimizerState().steps());
            assertEquals(1, session.completedEpochs());
        }
    }

    private static float[] logits(Model model, NDArray x) {
        return model.getBlock().forward(new ParameterStore(model.getNDManager(), false), new NDList(x), false)
                .head().toFloatArray();
    }
}
