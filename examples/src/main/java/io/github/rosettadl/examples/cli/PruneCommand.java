package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.compression.PruningMask;
import io.github.rosettadl.core.compression.PruningScope;
import io.github.rosettadl.core.report.RunReport;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.ConsoleProgressBar;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code prune CHECKPOINT --sparsity S}: magnitude pruning of an image model, with optional
 * fine-tuning and an iterative schedule, written as a checkpoint that keeps only the nonzero weights.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Remove the smallest weights of a checkpoint's dense and convolutional layers, fine-tune with"
                + " them held at zero, and write a sparse checkpoint that evaluate and predict take.")
final class PruneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A model.ckpt of an image model.")
    Path checkpoint;

    @Option(names = "--sparsity", paramLabel = "S", required = true,
            description = "Fraction of the dense and convolutional weights to remove, at least 0 and below 1"
                    + " (0.9 removes 90%).")
    double sparsity;

    @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "global",
            description = "global (one threshold over all layers) or layer (the sparsity in every layer)"
                    + " (default: ${DEFAULT-VALUE}).")
    String scope;

    @Option(names = "--fine-tune-epochs", paramLabel = "N", defaultValue = "0",
            description = "Epochs of training after each prune step, the pruned weights held at zero"
                    + " (default: ${DEFAULT-VALUE}).")
    int fineTuneEpochs;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "1",
            description = "Prune in K steps with fine-tuning between them, each removing the same fraction of the"
                    + " weights left (Han et al. 2015); 1 prunes at once (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Fine-tuning learning rate (default: the checkpoint's).")
    Float learningRate;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Use at most N training and N test images (default: all).")
    int limit;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Where model.ckpt goes, a new or empty folder (default: runs/<time>-pruned-<model>-<dataset>).")
    Path outputDir;

    @Option(names = "--overwrite", description = "Replace the files of another run in --output-dir.")
    boolean overwrite;

    @Mixin
    RuntimeOptions runtimeOptions;

    @Mixin
    DataFlags dataFlags;

    @Override
    public Integer call() {
        PruningRun.Request request = new PruningRun.Request(checkpoint, sparsity, PruningScope.fromName(scope), steps,
                fineTuneEpochs, learningRate, limit, dataFlags.options());
        CheckpointDescription description = Checkpoint.readDescription(checkpoint);
        String model = description.model().modelName();
        PruningRun.imageDataset(checkpoint, description);
        RunReport report = RunReport.forNewRun(outputDir != null ? outputDir
                : RunReport.defaultDir("pruned-" + model, description.data().dataset()), overwrite);
        TorchRuntime runtime = runtimeOptions.start(EngineThreads.defaultsFor(model));
        PrintWriter out = spec.commandLine().getOut();
        PruningRun.Result result = PruningRun.run(request, report, runtime.device(),
                new ConsoleProgressBar(System.out, System.console() != null), out);
        for (PruningMask.Layer layer : result.summary().layers()) {
            out.printf(Locale.ROOT, "  %-16s %,10d weights, %6.2f%% removed%n", layer.name(), layer.size(),
                    100 * layer.sparsity());
        }
        out.printf(Locale.ROOT, "Test accuracy %.2f%% at %.2f%% sparsity (dense %.2f%%). %s: %,d bytes; the dense"
                        + " checkpoint %,d bytes, its float32 weights alone %,d (%.1f%%). %.1f s.%n",
                100 * result.finalAccuracy(), 100 * result.summary().sparsity(), 100 * result.denseAccuracy(),
                report.checkpointFile(), result.prunedFileBytes(), result.denseFileBytes(), result.denseWeightBytes(),
                100.0 * result.prunedFileBytes() / result.denseWeightBytes(), result.seconds());
        return 0;
    }
}
