package io.github.rosettadl.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.examples.LinearRegressionExample.Result;
import io.github.rosettadl.examples.LinearRegressionExample.Settings;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.IntStream;

class LinearRegressionExampleTest {

    private static TorchRuntime runtime;

    @BeforeAll
    static void startEngine() {
        runtime = TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    @Test
    void convergingSettingsRecoverWeightAndBiasWithinOneHundredth() {
        Result result = LinearRegressionExample.run(Settings.CONVERGING, runtime, new PrintWriter(new StringWriter()));
        assertEquals(3.0f, result.weight(), 0.01f);
        assertEquals(2.0f, result.bias(), 0.01f);
        assertTrue(result.recovered(0.01f));
        // the noise has variance 0.01, so a recovered line leaves about that much test error
        assertEquals(0.01f, result.testMse(), 0.005f);
    }

    @Test
    void seedSettingsRunAThousandStepsAndLogEveryHundredth() {
        StringWriter log = new StringWriter();
        Result result = LinearRegressionExample.run(Settings.SEED, runtime, new PrintWriter(log, true));
        assertEquals(1000, result.losses().size());
        assertEquals(IntStream.range(0, 10).map(i -> i * 100).boxed().toList(), result.loggedSteps());
        List<String> lines = log.toString().lines().toList();
        assertEquals(10, lines.size());
        for (int i = 0; i < 10; i++) {
            assertTrue(lines.get(i).matches("Step " + (i * 100) + ", Loss: \\d+\\.\\d{6}"), lines.get(i));
        }
        // W starts at 0, so the first loss is y^2 of the first point, and learning lowers it
        assertTrue(result.losses().get(0) > 1f, "first loss " + result.losses().get(0));
        assertTrue(mean(result.losses().subList(900, 1000)) < mean(result.losses().subList(0, 100)));
        // rate 0.001 over 1000 single points is too little to reach the line: that is the seed's lesson
        assertFalse(result.recovered(0.01f));
        assertTrue(result.weight() > 0.5f && result.weight() < 3f, "W " + result.weight());
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        Settings quick = new Settings("quick", 0.1f, 50, 10, 20, 7);
        Result a = LinearRegressionExample.run(quick, runtime, new PrintWriter(new StringWriter()));
        Result b = LinearRegressionExample.run(quick, runtime, new PrintWriter(new StringWriter()));
        assertEquals(a.losses(), b.losses());
        assertEquals(a.weight(), b.weight());
    }

    private static double mean(List<Float> values) {
        return values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }
}
