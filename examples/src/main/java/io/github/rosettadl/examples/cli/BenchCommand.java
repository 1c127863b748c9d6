package io.github.rosettadl.examples.cli;

import ai.djl.engine.Engine;

import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageBatches;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.ImageDatasets;
import io.github.rosettadl.examples.cli.bench.BenchReport;
import io.github.rosettadl.examples.cli.bench.BenchSetup;
import io.github.rosettadl.examples.cli.bench.ProcessStats;
import io.github.rosettadl.examples.cli.bench.StepClock;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench --model MODEL --threads N}: times the real training loop ({@link TrainingSession}) on
 * real data, one configuration per process, for {@code bench/compare.sh} to set beside plain PyTorch.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time training steps on real data: median ms per step and spread, images per second,"
                + " peak RSS, and the time from process start to the end of the first step.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "simple-cnn",
            description = "Any image model: softmax-regression, mlp, simple-cnn, cifar-cnn, tanh-cnn, rnn"
                    + " (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--dataset", paramLabel = "DATA", defaultValue = "mnist",
            description = "mnist, fashion-mnist or cifar10 (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--batch-size", paramLabel = "N", description = "Batch size (default: the seed's).")
    Integer batchSize;

    @Option(names = "--warmup-steps", paramLabel = "N", defaultValue = "1000",
            description = "Steps run before timing, while the JIT compiles (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1000",
            description = "Steps timed after the warm-up (default: ${DEFAULT-VALUE}); ignored with --epochs.")
    int steps;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Instead of --steps: train N full epochs, validating after each, and report the RSS"
                    + " after each epoch; the steps after the warm-up are timed.")
    Integer epochs;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Use at most N training (and test) images (default: all).")
    int limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "markdown",
            description = "markdown or json (one line, for bench/ratio_table.py) (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    RuntimeOptions runtimeOptions;

    @Mixin
    DataFlags dataFlags;

    @Override
    public Integer call() {
        boolean json = json();
        ModelChoice choice = ModelChoice.fromName(model);
        if (choice.data() != ModelChoice.Data.IMAGES) {
            throw new IllegalArgumentException("bench times image models; '" + choice + "' is not one. Image models: "
                    + ModelChoice.imageModels() + ".");
        }
        ImageDatasetId data = ImageDatasetId.fromName(dataset);
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("--warmup-steps must be 0 or more, got " + warmupSteps + ".");
        }
        PositiveChecks.requireLimit(limit);
        TrainingConfig config = choice.seedConfig();
        if (batchSize != null) {
            config = config.withBatchSize(PositiveChecks.require("--batch-size", batchSize));
        }
        TorchRuntime runtime = runtimeOptions.start(choice.defaultThreads());
        ImageData images = ImageDatasets.load(data, dataFlags.options());
        ImageBatches train = limited(images.train()).batches(config.batchSize(), true, config.seed(),
                Normalization.DIVIDE_255);
        long total = epochs == null ? (long) warmupSteps + PositiveChecks.require("--steps", steps)
                : (long) PositiveChecks.require("--epochs", epochs) * train.numBatches();
        if (total <= warmupSteps || total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--epochs " + epochs + " gives " + total + " steps, which leaves none"
                    + " to time after --warmup-steps " + warmupSteps + ": train more epochs or warm up less.");
        }
        StepClock clock = new StepClock(train::epoch, (int) total);
        List<Double> epochRss = new ArrayList<>();
        try (TrainingSession session = TrainingSession.start(choice.imageSpec(images.metadata()),
                config.withEpochs(epochs == null ? Integer.MAX_VALUE : epochs), runtime.device())) {
            if (epochs == null) {
                while (!clock.full()) {
                    session.trainEpoch(clock, null);
                }
            } else {
                ImageBatches test = limited(images.test()).batches(config.batchSize(), false, config.seed(),
                        Normalization.DIVIDE_255);
                session.fit(clock, test::epoch, metrics -> epochRss.add(ProcessStats.residentMegabytes()));
            }
        }
        BenchSetup setup = new BenchSetup(choice.cliName(), data.cliName(), runtime.engine().getEngineName() + " "
                + runtime.engine().getVersion() + " (DJL " + Engine.getDjlVersion() + ")",
                runtime.intraOpThreads(), config.batchSize());
        BenchReport report = BenchReport.of(setup, clock, warmupSteps, epochRss);
        spec.commandLine().getOut().println(json ? report.toJson() : report.toMarkdown());
        return 0;
    }

    private ImageSplit limited(ImageSplit split) {
        return limit > 0 ? split.limit(limit) : split;
    }

    private boolean json() {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "json":
                return true;
            case "markdown":
                return false;
            default:
                throw new IllegalArgumentException("Invalid --format '" + format + "'. Valid: markdown, json.");
        }
    }
}
