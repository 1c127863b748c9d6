package io.github.rosettadl.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.core.privacy.RdpAccountant;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.datasets.text.TextCorpus;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Each example class runs its real seed code on a small real subset and learns. */
class ExampleClassesTest {

    @TempDir
    Path tmp;

    private static TorchRuntime runtime;

    @BeforeAll
    static void startEngine() {
        runtime = TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.defaults());
    }

    private ExampleOptions quick(int limit) {
        return ExampleOptions.quick(SharedData.offline(SharedData.dir(), tmp.resolve("cache")), limit, 1);
    }

    @Test
    void simpleCnnLearnsMnistFromTwoThousandImages() {
        SharedData.requireMnist();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ExampleResult result = SimpleCnnMnist.run(quick(2000), runtime, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(1, result.history().epochs().size());
        assertTrue(result.testAccuracy() > 0.60, "ten classes: chance is 0.10, got " + result.testAccuracy());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("Accuracy: "), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void mlpLearnsMnistFromTwoThousandImages() {
        SharedData.requireMnist();
        ExampleResult result = MlpMnist.run(quick(2000), runtime, silent());
        assertTrue(result.testAccuracy() > 0.60, "ten classes: chance is 0.10, got " + result.testAccuracy());
    }

    @Test
    void rowRnnBeatsChanceOnMnist() {
        SharedData.requireMnist();
        ExampleResult result = RnnRowsMnist.run(quick(2000), runtime, silent());
        assertTrue(result.testAccuracy() > 0.30, "accuracy " + result.testAccuracy());
    }

    @Test
    void cifarCnnBeatsChanceOnCifar10() {
        SharedData.requireCifar10();
        // the bundled subset's 350 images for 10 epochs (110 steps; one epoch's 11 stay at chance): 0.30 on its
        // 100 test images, 0.29 on the full data's first 350; chance over 100 images is 0.10 +- 0.03
        ExampleResult result = CifarCnn.run(ExampleOptions.quick(SharedData.offline(SharedData.dir(),
                tmp.resolve("cache")), 350, 10), runtime, silent());
        assertTrue(result.testAccuracy() > 0.20, "ten classes: chance is 0.10, got " + result.testAccuracy());
    }

    @Test
    void dpSgdLearnsMnistAndPrintsTheEpsilonOfEveryEpoch() {
        SharedData.requireMnist();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // 1000 images at q = 512/1000: 2 private steps an epoch, 30 in all
        DpSgdMnist.Result result = DpSgdMnist.run(ExampleOptions.quick(SharedData.offline(SharedData.dir(),
                tmp.resolve("cache")), 1000, 15), DpSgdMnist.NOISE_MULTIPLIER, runtime,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(30, result.steps());
        double accuracy = result.run().testAccuracy();
        assertTrue(accuracy > 0.25, "ten classes: chance is 0.10, got " + accuracy);
        double expected = RdpAccountant.spent(512.0 / 1000, DpSgdMnist.NOISE_MULTIPLIER, 30, DpSgdMnist.DELTA,
                RdpAccountant.DEFAULT_ORDERS, RdpAccountant.Conversion.IMPROVED).epsilon();
        assertEquals(expected, result.epsilon(), 1e-9);
        List<Double> printed = new ArrayList<>();
        Matcher m = Pattern.compile("ε = (\\d+\\.\\d+)").matcher(log.toString(StandardCharsets.UTF_8));
        while (m.find()) {
            printed.add(Double.parseDouble(m.group(1)));
        }
        assertEquals(15, printed.size(), log.toString(StandardCharsets.UTF_8));
        for (int i = 1; i < printed.size(); i++) {
            assertTrue(printed.get(i) > printed.get(i - 1), "epsilon only grows: " + printed);
        }
        assertEquals(expected, printed.get(14), 0.0005);
    }

    @Test
    void charRnnLossFallsAndItWritesText() {
        CharRnnExample.Result result = CharRnnExample.run(TextCorpus.bundled(),
                ExampleOptions.quick(SharedData.offline(SharedData.dir(), tmp.resolve("cache")), 3000, 2), runtime,
                tmp.resolve("char.ckpt"), silent());
        double first = result.history().epochs().get(0).trainLoss();
        double second = result.history().epochs().get(1).trainLoss();
        assertTrue(second < first, "loss " + first + " then " + second);
        assertTrue(result.sample().startsWith("It was"), result.sample());
        assertEquals(406, result.sample().length());
    }

    private static PrintStream silent() {
        return new PrintStream(PrintStream.nullOutputStream());
    }
}
