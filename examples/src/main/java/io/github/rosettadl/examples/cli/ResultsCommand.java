package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.io.AtomicFile;
import io.github.rosettadl.core.io.WritableFolder;
import io.github.rosettadl.core.report.RunReport;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.ConsoleProgressBar;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.History;
import io.github.rosettadl.core.training.OptimizerKind;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.text.TextCorpus;
import io.github.rosettadl.examples.CharRnnExample;
import io.github.rosettadl.examples.ExampleOptions;
import io.github.rosettadl.examples.LinearRegressionExample;
import io.github.rosettadl.examples.cli.results.DpResultRun;
import io.github.rosettadl.examples.cli.results.ExamplePages;
import io.github.rosettadl.examples.cli.results.PlannedRun;
import io.github.rosettadl.examples.cli.results.PrunedRuns;
import io.github.rosettadl.examples.cli.results.QuantizationResults;
import io.github.rosettadl.examples.cli.results.QuantizationRow;
import io.github.rosettadl.examples.cli.results.ResultRow;
import io.github.rosettadl.examples.cli.results.ResultsMarkdown;
import io.github.rosettadl.examples.cli.results.ResultsStore;
import io.github.rosettadl.examples.cli.results.RunEnvironment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code results}: trains every model on every data set with its seed's configuration (and the named
 * variants), and regenerates {@code docs/RESULTS.md} and the result blocks of the example pages
 * ({@code docs/examples}) from the stored rows after each run.
 */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = "Train every model x data set on the full data and write docs/RESULTS.md (takes hours).")
final class ResultsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--only", paramLabel = "NAME", split = ",",
            description = "Run only these: run ids (see --list), models, data sets, seed or variant.")
    List<String> only = new ArrayList<>();

    @Option(names = "--list", description = "List the runs and exit.")
    boolean list;

    @Option(names = "--render-only",
            description = "Regenerate RESULTS.md and the example pages' result blocks without training.")
    boolean renderOnly;

    @Option(names = "--output", paramLabel = "FILE",
            description = "The page to write (default: docs/RESULTS.md of this checkout).")
    Path output;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs/results",
            description = "Where each run's report (charts, CSVs) goes (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Use at most N training and N test examples, for a quick check; rows say so.")
    int limit;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Train N epochs instead of each run's own count, for a quick check.")
    Integer epochs;

    @Option(names = "--quantize", paramLabel = "CHECKPOINT", split = ",",
            description = "Instead of training: quantize these trained checkpoints to int8 and score each beside its"
                    + " float32 self, for the int8 table.")
    List<Path> quantize = new ArrayList<>();

    @Mixin
    RuntimeOptions runtimeOptions;

    @Mixin
    DataFlags dataFlags;

    @Override
    public Integer call() {
        List<PlannedRun> catalog = PlannedRun.catalog();
        List<PlannedRun> runs = PlannedRun.select(catalog, only);
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            runs.forEach(r -> out.println(r.id()));
            out.flush();
            return 0;
        }
        PositiveChecks.requireLimit(limit);
        if (epochs != null) {
            PositiveChecks.require("--epochs", epochs);
        }
        Path page = output != null ? output : defaultPage();
        Path storeFile = page.toAbsolutePath().resolveSibling("results").resolve("results.json");
        ResultsStore store = ResultsStore.open(storeFile);
        // before any training: a page or rows that cannot be written would lose hours of runs
        String choosePage = "Choose a page in a writable folder with --output.";
        WritableFolder.require(page.toAbsolutePath().getParent(), choosePage);
        WritableFolder.require(storeFile.getParent(), choosePage);
        if (renderOnly) {
            if (store.rows().isEmpty()) {
                // an empty table would replace a good page
                throw new IllegalArgumentException("No stored rows to render: looked for them in " + storeFile
                        + (Files.exists(storeFile) ? ", which holds none" : ", which does not exist") + ", so " + page
                        + " is left as it is. Point --output at a page with its rows in results/results.json beside"
                        + " it, or run 'rosetta results' (without --render-only) first.");
            }
            writePage(page, store, catalog);
            out.printf(Locale.ROOT, "%s regenerated from %d stored rows in %s.%n", page, store.rows().size(), storeFile);
            out.flush();
            return 0;
        }
        WritableFolder.require(runsDir, "Choose a writable folder with --runs-dir.");
        RunEnvironment environment = RunEnvironment.detect();
        if (!quantize.isEmpty()) {
            QuantizationResults int8 = QuantizationResults.open(storeFile.resolveSibling(QuantizationResults.FILE));
            TorchRuntime runtime = runtimeOptions.start();
            for (Path checkpoint : quantize) {
                QuantizationRow row = QuantizationMeasurement.measure(checkpoint, runsDir, dataFlags.options(), runtime,
                        environment);
                int8.put(row);
                writePage(page, store, catalog);
                out.printf(Locale.ROOT, "%s: float32 %.2f%%, int8 %.2f%%, int8 file %.3fx the float32 weights. %s"
                        + " updated.%n", row.id(), row.float32Accuracy(), row.int8Accuracy(), row.ratio(), page);
                out.flush();
            }
            return 0;
        }
        for (int i = 0; i < runs.size(); i++) {
            PlannedRun run = runs.get(i);
            out.printf(Locale.ROOT, "=== [%d/%d] %s ===%n", i + 1, runs.size(), run.id());
            out.flush();
            TorchRuntime runtime = runtimeOptions.start(run.defaultThreads());
            double load = RunEnvironment.loadAverage();
            long start = System.nanoTime();
            ResultRow row;
            if (run.kind() == PlannedRun.Kind.PRUNED) {
                List<ResultRow> rows = PrunedRuns.run(run, runsDir, limit, epochs, dataFlags.options(), runtime,
                        environment, load, out);
                rows.subList(1, rows.size()).forEach(store::put);
                row = rows.get(0);
            } else {
                Measured measured = execute(run, runtime);
                int rowLimit = run.dataset() != null || run.kind() == PlannedRun.Kind.CHAR_RNN ? limit : 0;
                row = measured.toRow(run, (System.nanoTime() - start) / 1e9, runtime, rowLimit, environment, load);
            }
            store.put(row);
            writePage(page, store, catalog);
            out.printf(Locale.ROOT, "%s: %s %.2f (target %s). %s updated.%n", run.id(), row.metric(),
                    row.finalValue(), row.target() == null ? "none" : row.target(), page);
            out.flush();
        }
        return 0;
    }

    private static void writePage(Path page, ResultsStore store, List<PlannedRun> catalog) {
        Path int8 = page.toAbsolutePath().resolveSibling("results").resolve(QuantizationResults.FILE);
        String markdown = QuantizationResults.open(int8).insertInto(ResultsMarkdown.render(store.rows(), catalog));
        AtomicFile.write(page, temp -> Files.writeString(temp, markdown));
        // the example pages beside it show the same rows in their generated blocks
        ExamplePages.regenerate(page.toAbsolutePath().resolveSibling("examples"), store.rows(), catalog);
        PrunedRuns.writeChart(page.toAbsolutePath().resolveSibling("examples"), store.rows());
        DpResultRun.writeChart(page.toAbsolutePath().resolveSibling("examples"), store.rows());
    }

    private Measured execute(PlannedRun run, TorchRuntime runtime) {
        RunReport report = RunReport.forNewRun(RunReport.timestampedDir(runsDir, run.id().replace('/', '-')), false);
        switch (run.kind()) {
            case IMAGE_SEED:
            case IMAGE_VARIANT: {
                Preset preset = run.preset();
                TrainingConfig config = preset != null ? preset.config() : run.model().seedConfig();
                if (epochs != null) {
                    config = config.withEpochs(epochs);
                }
                ImageClassifierRun.Request request = new ImageClassifierRun.Request(run.model(), run.dataset(), config,
                        limit, false, Normalization.DIVIDE_255, dataFlags.options(), false, preset);
                ImageClassifierRun.Result result = ImageClassifierRun.run(request, report, runtime,
                        new ConsoleProgressBar(System.out, false), false);
                String title = preset != null ? preset.description()
                        : run.model().cliName() + " on " + run.dataset().displayName() + ", " + describe(config);
                String command = "./rosetta train " + (preset != null ? "--preset " + preset.cliName()
                        : run.model().cliName()) + " --dataset " + run.dataset().cliName();
                return Measured.accuracy(result.history(), 100 * result.testAccuracy(), title, command);
            }
            case IMAGE_DP: {
                DpResultRun dp = DpResultRun.of(run.id());
                TrainingConfig config = epochs != null ? dp.config().withEpochs(epochs) : dp.config();
                ImageClassifierRun.Request request = new ImageClassifierRun.Request(run.model(), run.dataset(), config,
                        limit, false, Normalization.DIVIDE_255, dataFlags.options(), false, null);
                PrivateImageClassifierRun.Result result = PrivateImageClassifierRun.run(request,
                        new PrivateImageClassifierRun.Settings(dp.noiseMultiplier(), Double.NaN,
                                dp.maxGradNorm(), DpResultRun.DELTA),
                        report, runtime, new ConsoleProgressBar(System.out, false));
                Measured accuracy = Measured.accuracy(result.run().history(), 100 * result.run().testAccuracy(),
                        String.format(Locale.ROOT, "%s on %s, DP-SGD epsilon %.2f (delta %s), sigma %s, C %s, %s",
                                run.model().cliName(), run.dataset().displayName(), result.spent().epsilon(),
                                DpResultRun.DELTA, dp.noiseMultiplier(), dp.maxGradNorm(), describe(config)),
                        dp.command());
                return accuracy.withDetail(String.format(Locale.ROOT, "epsilon %.2f at delta %s (classic conversion:"
                        + " %.2f), q %.5f, %d steps", result.spent().epsilon(), result.spent().delta(),
                        result.spent().classicEpsilon(), result.spent().rate(), result.spent().steps())
                        + "; " + privacyCurve(result));
            }
            case CHAR_RNN: {
                ExampleOptions options = ExampleOptions.quick(dataFlags.options(), limit, epochs == null ? 0 : epochs);
                CharRnnExample.Result result = CharRnnExample.run(TextCorpus.bundled(), options, runtime,
                        report.open().checkpointFile(), System.out);
                EpochMetrics last = result.history().epochs().get(result.history().epochs().size() - 1);
                return new Measured("char-rnn on Persuasion, adam 0.001 (eps 1e-7), batch 32",
                        "next-character train accuracy, %", 100 * last.trainAccuracy(),
                        String.format(Locale.ROOT, "train loss %.3f", last.trainLoss()), result.history().epochs().size(),
                        last.imagesPerSecond(), "./rosetta train char-rnn", null);
            }
            case LINEAR_SEED:
            case LINEAR_CONVERGING: {
                boolean seed = run.kind() == PlannedRun.Kind.LINEAR_SEED;
                LinearRegressionExample.Settings settings = seed ? LinearRegressionExample.Settings.SEED
                        : LinearRegressionExample.Settings.CONVERGING;
                LinearRegressionExample.Result result = LinearRegressionExample.run(settings, runtime,
                        new PrintWriter(System.out, true));
                String title = String.format(Locale.ROOT, "W*x + b, SGD lr %s, %d point%s per step",
                        settings.learningRate(), settings.batchSize(), settings.batchSize() == 1 ? "" : "s");
                return new Measured(title, "largest error of W and b", result.largestError(),
                        String.format(Locale.ROOT, "W = %.4f, b = %.4f, test MSE %.4f", result.weight(),
                                result.bias(), result.testMse()), settings.steps(), Double.NaN,
                        "./rosetta linear-regression --preset " + settings.name(),
                        result.recovered((float) PlannedRun.LINEAR_TOLERANCE));
            }
            default:
                throw new AssertionError(run.kind());
        }
    }

    /** Epsilon and test accuracy after epochs 1, 2, every fifth and the last: the row's epsilon-accuracy curve. */
    private static String privacyCurve(PrivateImageClassifierRun.Result result) {
        List<PrivateImageClassifierRun.EpochPrivacy> curve = result.curve();
        List<DpResultRun.CurvePoint> points = new ArrayList<>();
        for (PrivateImageClassifierRun.EpochPrivacy e : curve) {
            if (e.epoch() <= 2 || e.epoch() % 5 == 0 || e.epoch() == curve.size()) {
                points.add(new DpResultRun.CurvePoint(e.epoch(), e.epsilon(), 100 * e.testAccuracy()));
            }
        }
        return DpResultRun.curveText(points);
    }

    private static String describe(TrainingConfig c) {
        String setting = c.optimizer() == OptimizerKind.ADAM ? " (eps " + shortNumber(c.adamEpsilon()) + ")"
                : c.momentum() > 0 ? " (momentum " + shortNumber(c.momentum()) + ")" : "";
        return String.format(Locale.ROOT, "%s %s%s, batch %d", c.optimizer(), shortNumber(c.learningRate()), setting,
                c.batchSize());
    }

    /** 0.001 and 1e-8 rather than 1.0E-8. */
    private static String shortNumber(float value) {
        return new BigDecimal(Float.toString(value)).stripTrailingZeros().toString().toLowerCase(Locale.ROOT);
    }

    /** docs/RESULTS.md of the checkout around the working directory, or in it when there is none. */
    private static Path defaultPage() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve("docs").resolve("RESULTS.md");
            }
        }
        return Path.of("docs", "RESULTS.md");
    }

    /** What one run measured, before the row adds where and when. */
    private record Measured(String title, String metric, double finalValue, String detail, int epochs,
            double throughput, String command, Boolean met, double best, int bestEpoch) {

        Measured(String title, String metric, double finalValue, String detail, int epochs, double throughput,
                String command, Boolean met) {
            this(title, metric, finalValue, detail, epochs, throughput, command, met, Double.NaN, 0);
        }

        static Measured accuracy(History history, double finalAccuracy, String title, String command) {
            List<EpochMetrics> all = history.epochs();
            EpochMetrics best = all.stream().max(Comparator.comparingDouble(EpochMetrics::valAccuracy)).orElseThrow();
            return new Measured(title, ResultRow.TEST_ACCURACY, finalAccuracy, "", all.size(),
                    all.get(all.size() - 1).imagesPerSecond(), command, null, 100 * best.valAccuracy(), best.epoch());
        }

        Measured withDetail(String newDetail) {
            return new Measured(title, metric, finalValue, newDetail, epochs, throughput, command, met, best, bestEpoch);
        }

        ResultRow toRow(PlannedRun run, double seconds, TorchRuntime runtime, int limit, RunEnvironment environment,
                double load) {
            Boolean targetMet = met;
            if (targetMet == null && run.target() != null) {
                targetMet = finalValue >= run.target() - 1e-9;
            }
            return new ResultRow(run.id(), run.kind().label(), title, epochs, metric, finalValue, best, bestEpoch,
                    run.yardstick(), run.target(), targetMet, detail, seconds, throughput, runtime.intraOpThreads(),
                    limit, command, environment.commit(), RunEnvironment.now(), environment.machine(), load);
        }
    }
}
