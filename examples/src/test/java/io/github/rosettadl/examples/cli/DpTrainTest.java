package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.core.privacy.RdpAccountant;
import io.github.rosettadl.core.privacy.RdpAccountant.Conversion;
import io.github.rosettadl.examples.SharedData;
import io.github.rosettadl.examples.cli.results.DpResultRun;
import io.github.rosettadl.examples.cli.results.ResultRow;
import io.github.rosettadl.examples.cli.results.ResultsStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code train --dp} on the bundled MNIST subset, and its refusals. */
class DpTrainTest {

    @TempDir
    Path tmp;

    private CliRun train(String model, String... extra) {
        String[] args = RosettaCli.withPrefix(extra, "train", model, "--dataset", "mnist", "--data-dir",
                SharedData.dir().toString(), "--offline", "--cache-dir", tmp.resolve("cache").toString(),
                "--device", "cpu", "--output-dir", tmp.resolve("run").toString());
        return CliRun.of(args);
    }

    /**
     * Two epochs of 256 images in expected batches of 64: q = 0.25, 4 steps an epoch, 8 in all. The
     * summary line, summary.md and privacy.csv state the epsilon the accountant gives for exactly that.
     */
    @Test
    void aPrivateRunReportsTheEpsilonItSpent() throws IOException {
        SharedData.requireMnist();
        CliRun run = train("simple-cnn", "--dp", "--noise-multiplier", "1.3", "--max-grad-norm", "0.8",
                "--epochs", "2", "--limit", "256", "--batch-size", "64", "--optimizer", "sgd", "--lr", "0.5");
        assertEquals(0, run.exitCode(), run.err());
        double epsilon = RdpAccountant.spent(0.25, 1.3, 8, 1e-5, RdpAccountant.DEFAULT_ORDERS, Conversion.IMPROVED)
                .epsilon();
        String expected = String.format(Locale.ROOT, "epsilon %.2f, delta 1.0E-5; sigma 1.300, C 0.8, q 0.25000, 8 steps",
                epsilon);
        assertTrue(run.out().contains(expected), expected + " in:\n" + run.out());
        Path dir = tmp.resolve("run");
        String summary = Files.readString(dir.resolve("summary.md"));
        assertTrue(summary.contains(String.format(Locale.ROOT, "(epsilon %.2f, delta 1.0E-5)-DP", epsilon)), summary);
        assertTrue(summary.contains("noise multiplier 1.300, clipping norm 0.8, Poisson sampling q = 0.250000"),
                summary);
        List<String> privacy = Files.readAllLines(dir.resolve("privacy.csv"));
        assertEquals("epoch,steps,epsilon,epsilon_classic,val_accuracy", privacy.get(0));
        assertEquals(3, privacy.size());
        assertTrue(privacy.get(2).startsWith(String.format(Locale.ROOT, "2,8,%.4f,", epsilon)), privacy.get(2));
        assertEquals(3, Files.readAllLines(dir.resolve("history.csv")).size());
    }

    @Test
    void aPrivateRunKeepsItsModelButIsNotResumed() throws IOException {
        SharedData.requireMnist();
        CliRun run = train("tanh-cnn", "--dp", "--noise-multiplier", "1.25", "--max-grad-norm", "0.1",
                "--epochs", "1", "--limit", "256", "--batch-size", "64", "--save-model");
        assertEquals(0, run.exitCode(), run.err());
        Path checkpoint = tmp.resolve("run/model.ckpt");
        assertTrue(Files.exists(checkpoint), "--save-model writes the private model");
        CliRun evaluate = CliRun.of("evaluate", checkpoint.toString(), "--data-dir", SharedData.dir().toString(),
                "--offline", "--cache-dir", tmp.resolve("cache").toString(), "--device", "cpu", "--limit", "256");
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().contains("tanh-cnn"), evaluate.out());
        CliRun resume = CliRun.of("train", "--resume", tmp.resolve("run").toString(), "--epochs", "2",
                "--data-dir", SharedData.dir().toString(), "--offline", "--device", "cpu");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, resume.exitCode(), resume.err());
        assertTrue(resume.err().contains("trained with DP-SGD, and --resume does not continue DP-SGD runs"),
                resume.err());
        assertEquals(2, Files.readAllLines(tmp.resolve("run/history.csv")).size(), "the refused resume trained nothing");
    }

    @Test
    void aTargetEpsilonChoosesTheNoise() {
        SharedData.requireMnist();
        CliRun run = train("mlp", "--dp", "--target-epsilon", "4", "--epochs", "1", "--limit", "256",
                "--batch-size", "64");
        assertEquals(0, run.exitCode(), run.err());
        double sigma = RdpAccountant.noiseMultiplierFor(4, 1e-5, 0.25, 4, Conversion.IMPROVED);
        assertTrue(run.out().contains(String.format(Locale.ROOT, "sigma %.4g,", sigma)), run.out());
        assertTrue(run.out().contains("epsilon 4.00,") || run.out().contains("epsilon 3.99,"), run.out());
    }

    /** {@code results --only dp} runs the three noise levels; a DP row states its epsilon. */
    @Test
    void theResultsRowsOfDpSgdStateTheirEpsilon() throws IOException {
        SharedData.requireMnist();
        String[] common = {"--output", tmp.resolve("docs/RESULTS.md").toString(), "--runs-dir",
            tmp.resolve("runs").toString(), "--data-dir", SharedData.dir().toString(), "--offline", "--cache-dir",
            tmp.resolve("cache").toString(), "--device", "cpu", "--threads", "1"};
        CliRun list = CliRun.of(RosettaCli.withPrefix(common, "results", "--list", "--only", "dp"));
        assertEquals(List.of("tanh-cnn-dp-sigma0.75/mnist", "tanh-cnn-dp-sigma1.25/mnist", "tanh-cnn-dp-sigma2.5/mnist",
                "cifar-cnn-dp-sigma0.5/mnist", "cifar-cnn-dp-sigma0.7/mnist", "cifar-cnn-dp-sigma1.0/mnist"),
                list.out().lines().toList());
        CliRun run = CliRun.of(RosettaCli.withPrefix(common, "results", "--only", "tanh-cnn-dp-sigma1.25/mnist",
                "--limit", "256", "--epochs", "2"));
        assertEquals(0, run.exitCode(), run.err());
        ResultRow row = ResultsStore.open(tmp.resolve("docs/results/results.json")).rows().get(0);
        assertEquals("dp", row.kind());
        // 256 of 256 images: q = 1, one step an epoch
        double first = RdpAccountant.spent(1.0, 1.25, 1, 1e-5, RdpAccountant.DEFAULT_ORDERS, Conversion.IMPROVED)
                .epsilon();
        double epsilon = RdpAccountant.spent(1.0, 1.25, 2, 1e-5, RdpAccountant.DEFAULT_ORDERS, Conversion.IMPROVED)
                .epsilon();
        assertTrue(row.detail().startsWith(String.format(Locale.ROOT, "epsilon %.2f at delta 1.0E-5", epsilon)),
                row.detail());
        List<DpResultRun.CurvePoint> curve = DpResultRun.curveOf(row.detail());
        assertEquals(List.of(1, 2), curve.stream().map(DpResultRun.CurvePoint::epoch).toList(), row.detail());
        assertEquals(first, curve.get(0).epsilon(), 0.005);
        assertEquals(epsilon, curve.get(1).epsilon(), 0.005);
        assertEquals(row.finalValue(), curve.get(1).accuracy(), 0.005, "the last point is the final accuracy");
        assertTrue(row.command().contains("tanh-cnn --dataset mnist --dp --noise-multiplier 1.25 --max-grad-norm 0.1"),
                row.command());
        assertTrue(row.title().contains(String.format(Locale.ROOT, "DP-SGD epsilon %.2f (delta 1.0E-5), sigma 1.25,"
                + " C 0.1, sgd 0.5 (momentum 0.9), batch 512", epsilon)), row.title());
        String page = Files.readString(tmp.resolve("docs/RESULTS.md"));
        assertTrue(page.contains("**tanh-cnn-dp-sigma1.25/mnist privacy.** " + row.detail()), page);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rnn --dp | --dp does not train 'rnn'",
        "char-rnn --dp | --dp does not train 'char-rnn'",
        "--preset cnn-bn --dp | not --preset cnn-bn",
        "mlp --noise-multiplier 1.1 | --noise-multiplier set DP-SGD's privacy: add --dp",
        "mlp --dp --noise-multiplier 0 | Invalid --noise-multiplier 0.0",
        "mlp --dp --max-grad-norm -1 | Invalid --max-grad-norm -1.0",
        "mlp --dp --delta 1 | Invalid --delta 1.0",
        "mlp --dp --noise-multiplier 1 --target-epsilon 3 | not both",
        "mlp --dp --target-epsilon 0.00001 --epochs 50 --limit 256 --batch-size 128 | No noise multiplier up to 1000"})
    void badPrivacySettingsExitWithTwoAndNameTheFlag(String args, String message) {
        SharedData.requireMnist();
        String[] words = args.trim().split(" ");
        String[] full = RosettaCli.withPrefix(new String[] {"--data-dir", SharedData.dir().toString(), "--offline",
            "--cache-dir", tmp.resolve("cache").toString(), "--device", "cpu", "--output-dir",
            tmp.resolve("run").toString()}, prepend("train", words));
        CliRun run = CliRun.of(full);
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains(message), message + " in:\n" + run.err());
        assertFalse(Files.exists(tmp.resolve("run/summary.md")), "a refused run writes no report");
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
