package io.github.rosettadl.examples.cli.results;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.compression.PruningScope;
import io.github.rosettadl.core.report.TrainingCharts;
import io.github.rosettadl.core.report.RunReport;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.ConsoleProgressBar;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.examples.cli.ImageClassifierRun;
import io.github.rosettadl.examples.cli.ModelChoice;
import io.github.rosettadl.examples.cli.PruningRun;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pruned rows of the results table: the sparsity sweep (50, 75, 90, 95 and 98% of the dense and
 * convolutional weights removed, one-shot and then fine-tuned) of the MLP and the SimpleCNN on
 * MNIST and the CifarCNN on CIFAR-10, and Han et al.'s anchor (the MLP at 8% of its weights, pruned
 * in three steps). Each row is one {@code prune} of the seed's dense checkpoint, which is trained
 * once into {@code <runs-dir>/dense-<model>-<dataset>} and reused by every row after it.
 */
public final class PrunedRuns {

    /** The kind of a pruned row. */
    public static final String KIND = "pruned";

    /** The sparsities of the sweep. */
    public static final double[] SWEEP = {0.50, 0.75, 0.90, 0.95, 0.98};

    /**
     * How one pruned row prunes.
     *
     * @param sparsity the fraction removed
     * @param fineTuneEpochs epochs of fine-tuning per step, 0 for the one-shot row
     * @param steps prune steps
     * @param goalSparsity the sparsity from which the row has a target
     * @param tolerance points below the dense accuracy the target allows
     */
    public record Plan(double sparsity, int fineTuneEpochs, int steps, double goalSparsity, double tolerance) {

        /**
         * Whether this row is measured against a target: a fine-tuned row at the goal's sparsity or more.
         *
         * @return true when the row has a target
         */
        public boolean hasTarget() {
            return fineTuneEpochs > 0 && sparsity >= goalSparsity - 1e-9;
        }
    }

    private static final Map<String, Plan> PLANS = plans();

    private PrunedRuns() {}

    private static Map<String, Plan> plans() {
        Map<String, Plan> plans = new LinkedHashMap<>();
        sweep(plans, "mlp/mnist", 4, 0.90, 0.2);
        plans.put("mlp-pruned-92-x3/mnist", new Plan(0.92, 3, 3, 0.90, 0.2));
        sweep(plans, "simple-cnn/mnist", 1, 0.90, 0.2);
        sweep(plans, "cifar-cnn/cifar10", 1, 0.75, 1.0);
        return plans;
    }

    private static void sweep(Map<String, Plan> plans, String seed, int epochs, double goal, double tolerance) {
        String model = seed.substring(0, seed.indexOf('/'));
        String dataset = seed.substring(seed.indexOf('/') + 1);
        for (double s : SWEEP) {
            String percent = String.valueOf(Math.round(100 * s));
            plans.put(model + "-pruned-" + percent + "/" + dataset, new Plan(s, 0, 1, goal, tolerance));
            plans.put(model + "-pruned-" + percent + "-tuned/" + dataset, new Plan(s, epochs, 1, goal, tolerance));
        }
    }

    /**
     * The pruned runs that follow a seed run in the catalog.
     *
     * @param seed the seed run
     * @return its pruned runs, or none
     */
    public static List<PlannedRun> after(PlannedRun seed) {
        List<PlannedRun> runs = new ArrayList<>();
        if (seed.kind() != PlannedRun.Kind.IMAGE_SEED) {
            return runs;
        }
        String prefix = seed.model().cliName() + "-pruned-";
        String suffix = "/" + seed.dataset().cliName();
        for (String id : PLANS.keySet()) {
            if (id.startsWith(prefix) && id.endsWith(suffix)) {
                runs.add(new PlannedRun(id, PlannedRun.Kind.PRUNED, seed.model(), null, seed.dataset(), null, null));
            }
        }
        return runs;
    }

    /**
     * How a pruned run prunes.
     *
     * @param id the run's id
     * @return the plan, or null when the id is not a pruned run
     */
    public static Plan plan(String id) {
        return PLANS.get(id);
    }

    /**
     * Runs one pruned row: trains its dense checkpoint if the runs folder has none yet, prunes it and
     * measures the result. A fine-tuned one-shot row measures its one-shot row on the way (the
     * accuracy right after pruning), so it returns that row too.
     *
     * @param run the planned run, of kind {@link PlannedRun.Kind#PRUNED}
     * @param runsDir where the reports go
     * @param limit at most this many images per split, 0 for all
     * @param epochs the dense model's epochs instead of the seed's, or null
     * @param data where the data sets come from
     * @param runtime the started engine
     * @param environment the commit and machine
     * @param load the load average at the start
     * @param log where progress lines go
     * @return the row, then its one-shot row where it measured one
     */
    public static List<ResultRow> run(PlannedRun run, Path runsDir, int limit, Integer epochs, DataOptions data,
            TorchRuntime runtime, RunEnvironment environment, double load, PrintWriter log) {
        Plan plan = PLANS.get(run.id());
        long start = System.nanoTime();
        ModelChoice model = run.model();
        ImageDatasetId dataset = run.dataset();
        TrainingConfig config = epochs != null ? model.seedConfig().withEpochs(epochs) : model.seedConfig();
        String denseName = "dense-" + model.cliName() + "-" + dataset.cliName()
                + (limit > 0 ? "-limit" + limit : "") + (epochs != null ? "-epochs" + epochs : "");
        Path denseDir = runsDir.resolve(denseName);
        Path dense = denseDir.resolve("model.ckpt");
        if (!Files.exists(dense)) {
            ImageClassifierRun.Request request = new ImageClassifierRun.Request(model, dataset, config, limit, false,
                    Normalization.DIVIDE_255, data, true, null);
            ImageClassifierRun.run(request, RunReport.forNewRun(denseDir, false), runtime,
                    new ConsoleProgressBar(System.out, false), false);
        }
        CheckpointDescription description = Checkpoint.readDescription(dense);
        if (!description.training().equals(config) || description.epoch() != config.epochs()
                || !description.model().modelName().equals(model.cliName())) {
            throw new IllegalArgumentException(dense + " is not the seed's " + model.cliName() + " trained for "
                    + config.epochs() + " epochs on " + dataset.displayName() + " (it holds " + description.model()
                    + " after epoch " + description.epoch() + "); move the folder away and run again to train it.");
        }
        PruningRun.Request request = new PruningRun.Request(dense, plan.sparsity(), PruningScope.GLOBAL, plan.steps(),
                plan.fineTuneEpochs(), null, limit, data);
        RunReport report = RunReport.forNewRun(RunReport.timestampedDir(runsDir, run.id().replace('/', '-')), false);
        PruningRun.Result result = PruningRun.run(request, report, runtime.device(),
                new ConsoleProgressBar(System.out, false), log);
        double dense100 = 100 * result.denseAccuracy();
        Double target = plan.hasTarget() ? dense100 - plan.tolerance() : null;
        double accuracy = 100 * result.finalAccuracy();
        int percent = (int) Math.round(100 * plan.sparsity());
        String title = String.format(Locale.ROOT, "%s on %s, %d%% of the weights removed by magnitude (global)%s;"
                        + " dense %.2f%%; %,d bytes, %.1f%% of the dense float32 weights", model.cliName(),
                dataset.displayName(), percent, plan.fineTuneEpochs() == 0 ? ", one-shot, no fine-tuning"
                        : plan.steps() > 1 ? String.format(Locale.ROOT, " in %d steps, each followed by %d epochs of"
                                + " fine-tuning with the mask held", plan.steps(), plan.fineTuneEpochs())
                        : String.format(Locale.ROOT, ", then %d epochs of fine-tuning with the mask held",
                                plan.fineTuneEpochs()),
                dense100, result.prunedFileBytes(), 100.0 * result.prunedFileBytes() / result.denseWeightBytes());
        String command = "./rosetta train " + model.cliName() + " --dataset " + dataset.cliName()
                + " --save-model --output-dir DENSE && ./rosetta prune DENSE/model.ckpt --sparsity " + plan.sparsity()
                + (plan.fineTuneEpochs() > 0 ? " --fine-tune-epochs " + plan.fineTuneEpochs() : "")
                + (plan.steps() > 1 ? " --steps " + plan.steps() : "");
        ResultRow row = new ResultRow(run.id(), KIND, title, plan.steps() * plan.fineTuneEpochs(), ResultRow.TEST_ACCURACY,
                accuracy, Double.NaN, 0, null, target, target == null ? null : accuracy >= target - 1e-9, "",
                (System.nanoTime() - start) / 1e9, 0, runtime.intraOpThreads(), limit, command, environment.commit(),
                RunEnvironment.now(), environment.machine(), load);
        List<ResultRow> rows = new ArrayList<>(List.of(row));
        String oneShotId = run.id().replace("-tuned/", "/");
        if (plan.fineTuneEpochs() > 0 && plan.steps() == 1 && PLANS.containsKey(oneShotId)) {
            PruningRun.Step step = result.steps().get(0);
            String oneShotTitle = String.format(Locale.ROOT, "%s on %s, %d%% of the weights removed by magnitude"
                    + " (global), one-shot, no fine-tuning; dense %.2f%%; measured in the run of %s", model.cliName(),
                    dataset.displayName(), percent, dense100, run.id());
            rows.add(new ResultRow(oneShotId, KIND, oneShotTitle, 0, ResultRow.TEST_ACCURACY,
                    100 * step.prunedAccuracy(), Double.NaN, 0, null, null, null, "", step.prunedSeconds(), 0,
                    runtime.intraOpThreads(), limit, command.substring(0, command.indexOf(" --fine-tune-epochs")),
                    environment.commit(), RunEnvironment.now(), environment.machine(), load));
        }
        return rows;
    }

    /** The chart beside the example pages, drawn from the stored rows. */
    public static final String CHART = "pruning-sweep.png";

    private static final List<String> SEEDS = List.of("mlp/mnist", "simple-cnn/mnist", "cifar-cnn/cifar10");
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};

    /**
     * Test accuracy against sparsity for each model of the sweep, one-shot (dashed) and fine-tuned
     * (solid), from the stored rows.
     *
     * @param rows every stored row
     * @return the chart, or null when no sweep row is stored
     */
    public static XYChart sweepChart(List<ResultRow> rows) {
        // six series: beside the plot, one per line (below it, in one row, they did not fit)
        XYChart chart = TrainingCharts.legendBeside("Magnitude pruning: test accuracy against sparsity",
                "weights removed, %", "test accuracy, %");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        boolean any = false;
        for (int m = 0; m < SEEDS.size(); m++) {
            String seed = SEEDS.get(m);
            for (boolean tuned : new boolean[] {false, true}) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (ResultRow r : rows) {
                    Plan plan = PLANS.get(r.id());
                    if (plan != null && plan.steps() == 1 && (plan.fineTuneEpochs() > 0) == tuned
                            && sweepOf(r.id()).equals(seed)) {
                        x.add(100 * plan.sparsity());
                        y.add(r.finalValue());
                    }
                }
                if (x.isEmpty()) {
                    continue;
                }
                any = true;
                XYSeries series = chart.addSeries(seed + (tuned ? ", fine-tuned" : ", one-shot"), x, y);
                series.setLineColor(COLORS[m]);
                series.setMarkerColor(COLORS[m]);
                series.setMarker(tuned ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                series.setLineStyle(tuned ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
            }
        }
        return any ? chart : null;
    }

    /**
     * Writes {@value #CHART} into the example pages' folder when sweep rows are stored.
     *
     * @param dir the folder of the example pages; nothing happens when it does not exist
     * @param rows every stored row
     */
    public static void writeChart(Path dir, List<ResultRow> rows) {
        XYChart chart = sweepChart(rows);
        if (chart != null && Files.isDirectory(dir)) {
            TrainingCharts.savePng(chart, dir.resolve(CHART));
        }
    }

    /** {@code mlp/mnist} for {@code mlp-pruned-90-tuned/mnist}. */
    private static String sweepOf(String id) {
        return id.substring(0, id.indexOf("-pruned-")) + id.substring(id.indexOf('/'));
    }
}
