package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.io.AtomicFile;
import io.github.rosettadl.core.metrics.ConfusionMatrix;
import io.github.rosettadl.core.models.ImageModelSpec;
import io.github.rosettadl.core.privacy.DpSgd;
import io.github.rosettadl.core.privacy.PoissonSampler;
import io.github.rosettadl.core.privacy.RdpAccountant;
import io.github.rosettadl.core.privacy.RdpAccountant.Conversion;
import io.github.rosettadl.core.report.RunReport;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.Evaluation;
import io.github.rosettadl.core.training.History;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingProgress;
import io.github.rosettadl.core.training.TrainingSession;
import io.github.rosettadl.datasets.image.ImageBatches;
import io.github.rosettadl.datasets.image.ImageMetadata;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.examples.PoissonImageSource;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code train MODEL --dp}: an image classifier trained with DP-SGD on Poisson-sampled batches, with
 * the privacy spent after every epoch. The report is the usual one plus {@code privacy.csv} (epoch,
 * steps, epsilon with both conversions, test accuracy) and the privacy settings in {@code summary.md};
 * with {@code --save-model}, {@code model.ckpt} after every epoch, to evaluate, predict or export (a
 * private run is not resumed: its noise and accounting would have to continue where they stopped).
 */
final class PrivateImageClassifierRun {

    private PrivateImageClassifierRun() {
    }

    /**
     * The DP-SGD settings of a run.
     *
     * @param noiseMultiplier sigma, or NaN to derive it from {@code targetEpsilon}
     * @param targetEpsilon the epsilon to spend over the run, or NaN when sigma is given
     * @param maxGradNorm C
     * @param delta the target delta
     */
    /** The per-epoch privacy curve in the report folder; its presence marks a private run. */
    static final String PRIVACY_FILE = "privacy.csv";

    record Settings(double noiseMultiplier, double targetEpsilon, double maxGradNorm, double delta) {
    }

    /**
     * What was spent.
     *
     * @param noiseMultiplier sigma
     * @param maxGradNorm C
     * @param delta delta
     * @param rate q
     * @param steps the steps taken
     * @param epsilon epsilon with the improved conversion (Balle et al. 2020, as Opacus 1.x)
     * @param classicEpsilon epsilon with the classic conversion (Mironov 2017, as TF Privacy's tutorials)
     */
    record Spent(double noiseMultiplier, double maxGradNorm, double delta, double rate, long steps, double epsilon,
            double classicEpsilon) {

        String line() {
            return String.format(Locale.ROOT, "DP-SGD (epsilon %.2f, delta %s; sigma %.4g, C %s, q %.5f, %d steps)",
                    epsilon, delta, noiseMultiplier, maxGradNorm, rate, steps);
        }
    }

    /**
     * The result of a private run.
     *
     * @param run the usual result
     * @param spent the privacy spent
     * @param curve the privacy spent by the end of each epoch, with the test accuracy then
     */
    record Result(ImageClassifierRun.Result run, Spent spent, List<EpochPrivacy> curve) {
    }

    /**
     * The privacy spent by the end of one epoch: a row of {@code privacy.csv}.
     *
     * @param epoch the epoch, from 1
     * @param steps the private steps so far
     * @param epsilon epsilon with the improved conversion
     * @param classicEpsilon epsilon with the classic conversion
     * @param testAccuracy the test accuracy after the epoch, a fraction
     */
    record EpochPrivacy(int epoch, long steps, double epsilon, double classicEpsilon, double testAccuracy) {
    }

    static Result run(ImageClassifierRun.Request request, Settings dp, RunReport report, TorchRuntime runtime,
            TrainingProgress progress) {
        ImageClassifierRun.Prepared prepared = ImageClassifierRun.Prepared.of(request);
        ImageMetadata metadata = prepared.metadata();
        TrainingConfig config = prepared.config();
        ImageSplit train = prepared.train();
        ImageSplit test = prepared.test();
        PoissonSampler sampler = PoissonSampler.forExpectedBatch(train.size(), Math.min(config.batchSize(),
                train.size()), config.seed());
        long steps = (long) config.epochs() * sampler.stepsPerEpoch();
        double sigma = Double.isNaN(dp.noiseMultiplier())
                ? RdpAccountant.noiseMultiplierFor(dp.targetEpsilon(), dp.delta(), sampler.rate(), steps,
                        Conversion.IMPROVED)
                : dp.noiseMultiplier();
        ImageBatches testBatches = test.batches(config.batchSize(), false, config.seed(), request.normalization());
        ImageModelSpec spec = request.spec(metadata);
        DataDescription description = prepared.description(request);

        report.open();
        long start = System.nanoTime();
        List<EpochPrivacy> curve = new ArrayList<>();
        try (TrainingSession session = TrainingSession.start(spec, config, runtime.device())) {
            session.setGradientRule(new DpSgd(sigma, dp.maxGradNorm(), sampler.expectedBatchSize()));
            session.setProgress(progress);
            History history = session.fit(new PoissonImageSource(train, sampler, request.normalization()),
                    testBatches::epoch, epoch -> {
                        // after every epoch, so that a stopped run keeps its curve so far
                        curve.add(privacyAfter(epoch, sampler, sigma, dp.delta()));
                        writePrivacyCsv(report, curve);
                        if (request.saveModel()) {
                            Checkpoint.save(report.checkpointFile(), session, description);
                        }
                    });
            Evaluation evaluation = session.evaluate(testBatches::epoch);
            double seconds = (System.nanoTime() - start) / 1e9;
            ConfusionMatrix confusion = evaluation.confusionMatrix(metadata.classNames());
            Spent spent = new Spent(sigma, dp.maxGradNorm(), dp.delta(), sampler.rate(), steps,
                    epsilon(sampler.rate(), sigma, steps, dp.delta(), Conversion.IMPROVED),
                    epsilon(sampler.rate(), sigma, steps, dp.delta(), Conversion.CLASSIC));
            ImageClassifierRun.Result result = new ImageClassifierRun.Result(request, metadata, train.size(), history,
                    evaluation, confusion, report, seconds, 0);
            report.writeImageClassification(request.name() + " on " + metadata.id().displayName() + ", DP-SGD",
                    history, evaluation, confusion, settings(result, spent, config, runtime));
            return new Result(result, spent, List.copyOf(curve));
        }
    }

    private static double epsilon(double q, double sigma, long steps, double delta, Conversion conversion) {
        return sigma == 0 ? Double.POSITIVE_INFINITY
                : RdpAccountant.spent(q, sigma, steps, delta, RdpAccountant.DEFAULT_ORDERS, conversion).epsilon();
    }

    private static EpochPrivacy privacyAfter(EpochMetrics epoch, PoissonSampler sampler, double sigma, double delta) {
        long steps = (long) epoch.epoch() * sampler.stepsPerEpoch();
        return new EpochPrivacy(epoch.epoch(), steps, epsilon(sampler.rate(), sigma, steps, delta, Conversion.IMPROVED),
                epsilon(sampler.rate(), sigma, steps, delta, Conversion.CLASSIC), epoch.valAccuracy());
    }

    private static void writePrivacyCsv(RunReport report, List<EpochPrivacy> curve) {
        AtomicFile.write(report.dir().resolve(PRIVACY_FILE), file -> {
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write("epoch,steps,epsilon,epsilon_classic,val_accuracy\n");
                for (EpochPrivacy e : curve) {
                    out.write(String.format(Locale.ROOT, "%d,%d,%.4f,%.4f,%.4f\n", e.epoch(), e.steps(), e.epsilon(),
                            e.classicEpsilon(), e.testAccuracy()));
                }
            }
        });
    }

    private static List<RunReport.Setting> settings(ImageClassifierRun.Result result, Spent spent,
            TrainingConfig config, TorchRuntime runtime) {
        ImageClassifierRun.Request request = result.request();
        return List.of(
                new RunReport.Setting("model", request.name() + ": " + request.description()),
                new RunReport.Setting("data set", result.metadata().id().displayName() + ", " + result.trainImages()
                        + " training images" + (request.dryRun() ? " (dry run: one batch)" : "")),
                new RunReport.Setting("privacy", String.format(Locale.ROOT,
                        "(epsilon %.2f, delta %s)-DP, Rényi DP accountant (improved conversion, Balle et al. 2020);"
                                + " classic conversion (Mironov 2017): epsilon %.2f",
                        spent.epsilon(), spent.delta(), spent.classicEpsilon())),
                new RunReport.Setting("DP-SGD", String.format(Locale.ROOT,
                        "noise multiplier %.4g, clipping norm %s, Poisson sampling q = %.6f (expected batch %d),"
                                + " %d steps", spent.noiseMultiplier(), spent.maxGradNorm(), spent.rate(),
                        Math.round(spent.rate() * result.trainImages()), spent.steps())),
                new RunReport.Setting("optimizer", config.optimizer() + ", learning rate " + config.learningRate()
                        + (config.momentum() > 0 ? ", momentum " + config.momentum() : "")),
                new RunReport.Setting("epochs, seed", config.epochs() + ", " + config.seed()),
                new RunReport.Setting("normalization",
                        request.normalization().name().toLowerCase(Locale.ROOT).replace('_', '-')),
                new RunReport.Setting("engine", runtime.startupLine()),
                new RunReport.Setting("wall time", String.format(Locale.ROOT, "%.1f s", result.seconds())));
    }
}
