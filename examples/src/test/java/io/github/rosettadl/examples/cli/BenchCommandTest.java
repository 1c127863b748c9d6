package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.rosettadl.examples.SharedData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@code bench} on small real subsets: the report's fields, without any timing threshold. */
class BenchCommandTest {

    @TempDir
    Path tmp;

    private CliRun bench(String... extra) {
        SharedData.requireMnist();
        return CliRun.of(RosettaCli.withPrefix(extra, "bench", "--data-dir", SharedData.dir().toString(), "--offline",
                "--cache-dir", tmp.resolve("cache").toString(), "--device", "cpu", "--threads", "1"));
    }

    private static JsonObject json(CliRun run) {
        assertEquals(0, run.exitCode(), run.err());
        return JsonParser.parseString(run.out().trim()).getAsJsonObject();
    }

    @Test
    void stepsModeTimesTheStepsAfterTheWarmUp() {
        JsonObject report = json(bench("--model", "mlp", "--limit", "2000", "--warmup-steps", "5", "--steps", "20",
                "--format", "json"));
        assertEquals("java", report.get("side").getAsString());
        assertEquals("mlp", report.get("model").getAsString());
        assertEquals("mnist", report.get("dataset").getAsString());
        assertTrue(report.get("engine").getAsString().startsWith("PyTorch "), report.toString());
        assertEquals(1, report.get("threads").getAsInt());
        assertEquals(64, report.get("batch_size").getAsInt(), "the MLP seed's batch size");
        assertEquals(5, report.get("warmup_steps").getAsInt());
        assertEquals(20, report.get("timed_steps").getAsInt());
        double p10 = report.get("p10_ms").getAsDouble();
        double median = report.get("median_ms").getAsDouble();
        assertTrue(p10 > 0 && p10 <= median && median <= report.get("p90_ms").getAsDouble(), report.toString());
        assertTrue(report.get("warmup_seconds").getAsDouble() > 0, report.toString());
        assertTrue(report.get("images_per_second").getAsDouble() > 0, report.toString());
        double rss = report.get("rss_mb").getAsDouble();
        assertTrue(rss > 0 && report.get("peak_rss_mb").getAsDouble() >= rss, report.toString());
        assertTrue(report.get("first_step_seconds").getAsDouble() > 0, report.toString());
        assertTrue(!report.has("epoch_rss_mb") && !report.has("rss_drift_percent"), "no epochs in steps mode");
    }

    @Test
    void epochsModeTrainsWholeEpochsAndReportsTheRssAfterEach() {
        // 640 images are 10 batches of 64: 2 epochs are 20 steps, of which 15 are timed
        JsonObject report = json(bench("--model", "simple-cnn", "--limit", "640", "--epochs", "2",
                "--warmup-steps", "5", "--format", "json"));
        assertEquals(15, report.get("timed_steps").getAsInt());
        assertEquals(2, report.getAsJsonArray("epoch_rss_mb").size());
        report.getAsJsonArray("epoch_rss_mb").forEach(r -> assertTrue(r.getAsDouble() > 0, report.toString()));
        assertTrue(report.has("rss_drift_percent"), report.toString());
    }

    @Test
    void markdownIsATableOfMeasures() {
        CliRun run = bench("--model", "softmax-regression", "--limit", "256", "--warmup-steps", "2", "--steps", "4");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("| ms per step, median (p10-p90) |"), run.out());
        assertTrue(run.out().contains("| timed steps | 4 |"), run.out());
    }

    @Test
    void badFlagsAreNamed() {
        CliRun format = bench("--format", "xml");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, format.exitCode());
        assertTrue(format.err().contains("--format 'xml'"), format.err());
        CliRun tooShort = bench("--model", "mlp", "--limit", "128", "--epochs", "1", "--warmup-steps", "2");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, tooShort.exitCode());
        assertTrue(tooShort.err().contains("--warmup-steps 2"), tooShort.err());
        CliRun text = bench("--model", "char-rnn");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, text.exitCode());
        assertTrue(text.err().contains("image models"), text.err());
    }
}
