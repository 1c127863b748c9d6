package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.datasets.synthetic.SyntheticLinearData;
import io.github.rosettadl.examples.LinearRegressionExample.Result;
import io.github.rosettadl.examples.LinearRegressionExample.Settings;
import io.github.rosettadl.examples.LinearRegressionExample;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code linear-regression}: the TensorFlow seed with its own settings, then settings that converge. */
@Command(name = "linear-regression", mixinStandardHelpOptions = true,
        description = "Fit y = W*x + b to synthetic data, as the TensorFlow 1 seed does.")
final class LinearRegressionCommand implements Callable<Integer> {

    /** Which configurations to run. */
    enum Preset { seed, converging, both }

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtimeOptions;

    @Option(names = "--preset", defaultValue = "both",
            description = "seed (rate 0.001, 1 point a step), converging (rate 0.1, 100 points a step),"
                    + " or both (default: ${DEFAULT-VALUE}). Valid: ${COMPLETION-CANDIDATES}.")
    Preset preset;

    @Option(names = "--lr", paramLabel = "RATE", description = "Override the preset's learning rate.")
    Float learningRate;

    @Option(names = "--steps", paramLabel = "N", description = "Override the preset's 1000 steps.")
    Integer steps;

    @Option(names = "--batch-size", paramLabel = "N", description = "Override the preset's points per step.")
    Integer batchSize;

    @Option(names = "--seed", defaultValue = "42", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        List<Settings> runs = switch (preset) {
            case seed -> List.of(Settings.SEED);
            case converging -> List.of(Settings.CONVERGING);
            case both -> List.of(Settings.SEED, Settings.CONVERGING);
        };
        List<Settings> configured = runs.stream().map(this::override).toList();
        TorchRuntime runtime = runtimeOptions.start();
        PrintWriter out = spec.commandLine().getOut();
        for (Settings settings : configured) {
            out.printf(Locale.ROOT, "== %s settings: learning rate %s, %d steps, %d point(s) per step ==%n",
                    settings.name(), settings.learningRate(), settings.steps(), settings.batchSize());
            Result result = LinearRegressionExample.run(settings, runtime, out);
            report(out, result);
        }
        return 0;
    }

    private Settings override(Settings base) {
        float lr = learningRate == null ? base.learningRate() : PositiveChecks.require("--lr", learningRate);
        int n = steps == null ? base.steps() : PositiveChecks.require("--steps", steps);
        int batch = batchSize == null ? base.batchSize() : PositiveChecks.require("--batch-size", batchSize);
        boolean changed = lr != base.learningRate() || n != base.steps() || batch != base.batchSize();
        String name = changed ? base.name() + " (overridden)" : base.name();
        return new Settings(name, lr, n, batch, base.testSize(), seed);
    }

    private static void report(PrintWriter out, Result result) {
        out.printf(Locale.ROOT, "W: %.4f, b: %.4f (the data was drawn around W = %.1f, b = %.1f)%n",
                result.weight(), result.bias(),
                SyntheticLinearData.TRUE_WEIGHT, SyntheticLinearData.TRUE_BIAS);
        out.printf(Locale.ROOT, "Test MSE: %f (the seed prints this error as \"Test Accuracy\")%n", result.testMse());
        if (result.recovered(0.01f)) {
            out.printf("The %s settings recovered W and b to within 0.01.%n%n", result.settings().name());
        } else {
            out.printf("The %s settings did not converge: W and b are more than 0.01 from the true line.%n%n",
                    result.settings().name());
        }
    }
}
