package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.rosettadl.examples.cli.conformance.ConformanceCase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code conformance}: the cases it lists, and what it writes for the PyTorch half to read. */
class ConformanceCommandTest {

    @TempDir
    Path dir;

    @Test
    void everyModelAndPresetHasASeedAndASmallCase() {
        Set<String> ids = ConformanceCase.all().stream().map(ConformanceCase::id).collect(Collectors.toSet());
        for (ModelChoice model : ModelChoice.imageModels()) {
            assertTrue(ids.contains(model.cliName() + "/seed") && ids.contains(model.cliName() + "/small"), model.cliName());
        }
        for (Preset preset : Preset.values()) {
            assertTrue(ids.contains(preset.cliName() + "/seed") && ids.contains(preset.cliName() + "/small"),
                    preset.cliName());
        }
        assertTrue(ids.containsAll(List.of("char-rnn/seed", "linear-regression/seed", "linear-regression/converging",
                "rnn-gru-keras/small", "rnn-lstm-pytorch/small")), ids.toString());
    }

    @Test
    void aCaseFileHoldsTheStepsOfTheRealTrainingCode() throws IOException {
        CliRun run = CliRun.of("conformance", "--device", "cpu", "--output-dir", dir.toString(), "--only",
                "rnn-lstm-keras/small,linear-regression/seed");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("2 cases in"), run.out());
        JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
        assertEquals("rosetta-dl-conformance", manifest.get("format").getAsString());
        JsonArray cases = manifest.getAsJsonArray("cases");
        assertEquals(2, cases.size());
        JsonObject lstm = cases.get(0).getAsJsonObject();
        assertEquals("rnn", lstm.get("model").getAsString());
        assertEquals("LSTM", lstm.getAsJsonObject("arguments").get("cell").getAsString());
        assertEquals(1e-7, lstm.getAsJsonObject("adam").get("eps").getAsDouble(), 1e-12);
        // Keras's LSTM has one bias: the hidden-to-hidden one is saved but not trained
        List<String> trained = lstm.getAsJsonArray("trained").asList().stream().map(e -> e.getAsString()).toList();
        assertTrue(trained.contains("lstm.l_0_i2h_BIAS") && !trained.contains("lstm.l_0_h2h_BIAS"), trained.toString());
        Map<String, float[]> arrays = read(dir.resolve(lstm.get("file").getAsString()));
        for (String name : List.of("x", "y", "logits", "loss", "param.lstm.l_0_h2h_BIAS", "grad.lstm.l_0_i2h_BIAS",
                "adam1.dense.weight", "adam2.dense.weight", "sgd1.dense.weight", "sgd2.dense.weight",
                "adam-grad2.dense.weight", "sgd-grad2.lstm.l_0_i2h_WEIGHT")) {
            assertTrue(arrays.containsKey(name), name + " in " + arrays.keySet());
        }
        float[] before = arrays.get("param.dense.weight");
        float[] after = arrays.get("adam1.dense.weight");
        float[] gradient = arrays.get("grad.dense.weight");
        for (int i = 0; i < before.length; i++) {
            // Adam's first step moves every weight with a clear gradient by about the learning rate, against it
            if (Math.abs(gradient[i]) > 1e-4) {
                assertEquals(-Math.signum(gradient[i]) * 1e-3, after[i] - before[i], 1e-5, "weight " + i);
            }
        }
        assertEquals(0f, arrays.get("adam2.lstm.l_0_h2h_BIAS")[0]);
        Map<String, float[]> linear = read(dir.resolve(cases.get(1).getAsJsonObject().get("file").getAsString()));
        float x = linear.get("x")[0];
        float y = linear.get("y")[0];
        // from W = b = 0, the squared error's gradient for W is -2 x y: one step of lr 0.001 moves W by 0.002 x y
        assertEquals(0.002f * x * y, linear.get("sgd1.weights")[0], 1e-6f);
    }

    @Test
    void anOnlyThatMatchesNothingIsBadInput() {
        CliRun run = CliRun.of("conformance", "--only", "no-such-model", "--list");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode());
        assertTrue(run.err().contains("--only no-such-model matches no case"), run.err());
    }

    private static Map<String, float[]> read(Path file) throws IOException {
        Map<String, float[]> arrays = new HashMap<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu()); InputStream in = Files.newInputStream(file)) {
            for (NDArray a : NDList.decode(manager, in)) {
                arrays.put(a.getName(), a.toType(DataType.FLOAT32, false).toFloatArray());
            }
        }
        return arrays;
    }
}
