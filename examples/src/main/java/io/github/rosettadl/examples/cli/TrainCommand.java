package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.precision.Precision;
import io.github.rosettadl.core.report.RunReport;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.ConsoleProgressBar;
import io.github.rosettadl.core.training.OptimizerKind;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.text.TextCorpus;
import io.github.rosettadl.examples.CharRnnExample;
import io.github.rosettadl.examples.ExampleOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code train MODEL --dataset DATA}: any image model on any image data set, with the seed's defaults. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model with its seed's hyperparameters; flags override them.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", defaultValue = "simple-cnn",
            description = "One of: softmax-regression, mlp, simple-cnn, cifar-cnn, tanh-cnn, rnn, char-rnn,"
                    + " linear-regression (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--dataset", paramLabel = "DATA",
            description = "mnist, fashion-mnist or cifar10 for image models (default: mnist).")
    String dataset;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "A named variant instead of MODEL: mlp-dropout, cnn-bn, cnn-bn-flip, vgg-bn, lstm-rows"
                    + " (see 'list'); flags still override its settings.")
    String preset;

    @Option(names = "--text", paramLabel = "FILE",
            description = "char-rnn only: a UTF-8 text file to learn (default: the bundled Persuasion).")
    Path text;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the seed's).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Batch size (default: the seed's).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: the seed's).")
    Float learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "adam or sgd (default: the seed's).")
    String optimizer;

    @Option(names = "--momentum", paramLabel = "M",
            description = "SGD's momentum, in [0, 1) (default: the seed's, 0 for most; 0.9 for tanh-cnn).")
    Float momentum;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: 42).")
    Long seed;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Use at most N training and N test images (default: all).")
    int limit;

    @Option(names = "--dry-run", description = "Train and test on one batch, one epoch, to check the set-up.")
    boolean dryRun;

    @Option(names = "--save-model", description = "Write model.ckpt into the output folder after every epoch,"
            + " so that --resume can continue the run (a --dp run's model is kept, but not continued).")
    boolean saveModel;

    @Option(names = "--resume", paramLabel = "RUN",
            description = "Continue a run started with --save-model, from its folder or its model.ckpt, with the"
                    + " same model, data, hyperparameters and data order; --epochs may raise the epoch count.")
    Path resume;

    @Option(names = "--overwrite", description = "Replace the files of another run in --output-dir (default: refuse"
            + " a folder that holds files).")
    boolean overwrite;

    @Option(names = "--accumulate", paramLabel = "K", defaultValue = "1",
            description = "Sum the gradients of K batches before each update, as one batch K times larger"
                    + " (default: ${DEFAULT-VALUE}).")
    int accumulate;

    @Option(names = "--precision", paramLabel = "TYPE", defaultValue = "fp32",
            description = "fp32, or fp16: float16 forward and backward passes with float32 weights and dynamic"
                    + " loss scaling, as torch.cuda.amp (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--normalize", paramLabel = "HOW", defaultValue = "divide-255",
            description = "divide-255 (the seeds') or mean-std (default: ${DEFAULT-VALUE}).")
    String normalize;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Where the report goes, a new or empty folder (default: runs/<time>-<model>-<dataset>).")
    Path outputDir;

    @Mixin
    RuntimeOptions runtimeOptions;

    @Mixin
    DataFlags dataFlags;

    @Mixin
    DpFlags dpFlags;

    @Override
    public Integer call() {
        boolean dp = dpFlags.enabled();
        if (resume != null) {
            if (dp) {
                throw new IllegalArgumentException("--resume does not take --dp: DP-SGD runs are not continued.");
            }
            return resumeRun();
        }
        Preset variant = preset == null ? null : Preset.fromName(preset);
        if (variant != null && spec.commandLine().getParseResult().hasMatchedPositional(0)) {
            throw new IllegalArgumentException("Give either MODEL (" + model + ") or --preset " + preset
                    + ", not both: a preset sets the model.");
        }
        ModelChoice choice = variant != null ? variant.improves() : ModelChoice.fromName(model);
        if (dp) {
            dpFlags.settings(choice, variant); // before the data loads or char-rnn takes over
        }
        if (choice == ModelChoice.CHAR_RNN) {
            return trainCharRnn();
        }
        if (text != null) {
            throw new IllegalArgumentException("--text is for char-rnn only; " + choice + " trains on images.");
        }
        if (choice.data() != ModelChoice.Data.IMAGES) {
            throw new IllegalArgumentException("'train " + choice + "' is its own command: run '" + choice
                    + " --help'. Models for train: " + ModelChoice.imageModels() + ".");
        }
        ImageDatasetId data = dataset != null ? ImageDatasetId.fromName(dataset)
                : variant != null ? variant.dataset() : ImageDatasetId.MNIST;
        TrainingConfig config = config(variant != null ? variant.config() : choice.seedConfig());
        ImageClassifierRun.Request request = new ImageClassifierRun.Request(choice, data, config, limit, dryRun,
                normalization(), dataFlags.options(), saveModel, variant,
                new StepOptions(accumulate, Precision.parse(precision)));
        if (dp) {
            if (accumulate != 1 || !"fp32".equalsIgnoreCase(precision)) {
                throw new IllegalArgumentException("--dp trains each Poisson-sampled batch as one private step, in"
                        + " float32: drop --accumulate and --precision, or train without --dp.");
            }
            return trainPrivately(request, dpFlags.settings(choice, variant));
        }
        RunReport report = RunReport.forNewRun(outputDir != null ? outputDir
                : RunReport.defaultDir(request.name(), data.cliName()), overwrite);
        return train(request, report, false);
    }

    private int resumeRun() {
        List<String> fixed = new ArrayList<>();
        ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedPositional(0)) {
            fixed.add("MODEL");
        }
        for (String flag : List.of("--dataset", "--preset", "--text", "--batch-size", "--lr", "--optimizer",
                "--momentum", "--seed", "--limit", "--dry-run", "--save-model", "--normalize", "--output-dir",
                "--overwrite", "--accumulate", "--precision")) {
            if (parsed.hasMatchedOption(flag)) {
                fixed.add(flag);
            }
        }
        if (!fixed.isEmpty()) {
            throw new IllegalArgumentException("--resume continues a run as it was started, so it does not take "
                    + String.join(", ", fixed) + ". Of the training flags it takes --epochs (to train longer).");
        }
        Path dir = Files.isRegularFile(resume) ? resume.toAbsolutePath().getParent() : resume;
        if (Files.exists(dir.resolve(PrivateImageClassifierRun.PRIVACY_FILE))) {
            throw new IllegalArgumentException("The run in '" + dir + "' trained with DP-SGD, and --resume does not"
                    + " continue DP-SGD runs: its noise and its privacy accounting would have to go on where they"
                    + " stopped. Its model.ckpt is the model after its last epoch, for evaluate, predict and export;"
                    + " to train longer, start a new run with more --epochs.");
        }
        RunReport report = RunReport.forResumedRun(dir);
        RunSettings settings = RunSettings.read(dir);
        if (!settings.saveModel()) {
            throw new IllegalArgumentException("The run in '" + dir + "' was started without --save-model, so it has"
                    + " no checkpoints to continue from. Start it again with 'train ... --save-model'.");
        }
        ImageClassifierRun.Request request = settings.toRequest(dataFlags.options());
        if (epochs != null) {
            request = request.withConfig(request.config().withEpochs(PositiveChecks.require("--epochs", epochs)));
        }
        return train(request, report, true);
    }

    private int train(ImageClassifierRun.Request request, RunReport report, boolean resumed) {
        TorchRuntime runtime = runtimeOptions.start(EngineThreads.defaultsFor(request.name()));
        PrintWriter out = spec.commandLine().getOut();
        ImageClassifierRun.Result result = ImageClassifierRun.run(request, report, runtime,
                new ConsoleProgressBar(System.out, System.console() != null), resumed);
        out.printf(Locale.ROOT, "Test accuracy %.2f%% (%s on %s, %d epochs%s, %.1f s). Report: %s%n",
                100 * result.testAccuracy(), request.name(), request.dataset().displayName(),
                result.history().epochs().size(), resumed ? ", resumed after epoch " + result.resumedAfter() : "",
                result.seconds(), result.report().dir());
        return 0;
    }

    private int trainPrivately(ImageClassifierRun.Request request, PrivateImageClassifierRun.Settings settings) {
        RunReport report = RunReport.forNewRun(outputDir != null ? outputDir
                : RunReport.defaultDir(request.name() + "-dp", request.dataset().cliName()), overwrite);
        TorchRuntime runtime = runtimeOptions.start(EngineThreads.defaultsFor(request.name()));
        PrivateImageClassifierRun.Result result = PrivateImageClassifierRun.run(request, settings, report, runtime,
                new ConsoleProgressBar(System.out, System.console() != null));
        ImageClassifierRun.Result run = result.run();
        spec.commandLine().getOut().printf(Locale.ROOT, "Test accuracy %.2f%% (%s on %s, %d epochs, %.1f s), %s."
                + " Report: %s%n", 100 * run.testAccuracy(), request.name(), request.dataset().displayName(),
                run.history().epochs().size(), run.seconds(), result.spent().line(), run.report().dir());
        return 0;
    }

    private int trainCharRnn() {
        if (dataset != null) {
            throw new IllegalArgumentException("char-rnn learns a text, not --dataset " + dataset + ": run 'rosetta"
                    + " train char-rnn' for the bundled Persuasion or 'rosetta train char-rnn --text FILE' for a"
                    + " UTF-8 text of your own. Models for image data sets: " + ModelChoice.imageModels() + ".");
        }
        if (learningRate != null || batchSize != null || optimizer != null || momentum != null || seed != null
                || dryRun || accumulate != 1 || !"fp32".equalsIgnoreCase(precision)) {
            throw new IllegalArgumentException("char-rnn runs the Keras seed's settings; of the training flags it takes"
                    + " --epochs, --limit (training windows) and --text.");
        }
        PositiveChecks.requireLimit(limit);
        TextCorpus corpus = text == null ? TextCorpus.bundled() : TextCorpus.fromFile(text);
        CharRnnExample.requireTrainable(corpus); // before the output folder exists
        ExampleOptions options = ExampleOptions.quick(dataFlags.options(), limit,
                epochs == null ? 0 : PositiveChecks.require("--epochs", epochs));
        RunReport report = RunReport.forNewRun(outputDir != null ? outputDir : RunReport.defaultDir("char-rnn", "text"),
                overwrite);
        TorchRuntime runtime = runtimeOptions.start();
        report.open();
        long start = System.nanoTime();
        CharRnnExample.Result result = CharRnnExample.run(corpus, options, runtime, report.checkpointFile(), System.out);
        report.writeText(corpus.source(), corpus.toString(), result.history(), result.sample(), runtime.startupLine(),
                (System.nanoTime() - start) / 1e9);
        spec.commandLine().getOut().printf(Locale.ROOT, "Trained char-rnn on %s. Report: %s%n", corpus, report.dir());
        return 0;
    }

    private TrainingConfig config(TrainingConfig seedConfig) {
        TrainingConfig config = seedConfig;
        if (optimizer != null) {
            config = config.withOptimizer(OptimizerKind.parse(optimizer));
        }
        if (learningRate != null) {
            config = config.withLearningRate(PositiveChecks.require("--lr", learningRate));
        }
        if (momentum != null) {
            if (config.optimizer() != OptimizerKind.SGD) {
                throw new IllegalArgumentException("--momentum " + momentum + " is SGD's, and this run trains with "
                        + config.optimizer() + ": add --optimizer sgd, or leave out --momentum.");
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("Invalid --momentum " + momentum + ": it must be in [0, 1).");
            }
            config = config.withMomentum(momentum);
        }
        if (epochs != null) {
            config = config.withEpochs(PositiveChecks.require("--epochs", epochs));
        }
        if (batchSize != null) {
            config = config.withBatchSize(PositiveChecks.require("--batch-size", batchSize));
        }
        if (seed != null) {
            config = config.withSeed(seed);
        }
        return config;
    }

    private Normalization normalization() {
        switch (normalize.toLowerCase(Locale.ROOT)) {
            case "divide-255":
                return Normalization.DIVIDE_255;
            case "mean-std":
                return Normalization.MEAN_STD;
            default:
                throw new IllegalArgumentException("Invalid --normalize '" + normalize
                        + "'. Valid: divide-255, mean-std.");
        }
    }
}
