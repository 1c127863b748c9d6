package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.metrics.ConfusionMatrix;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.Evaluation;
import io.github.rosettadl.core.training.Evaluator;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageBatches;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.ImageDatasets;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code evaluate CHECKPOINT}: test accuracy and per-class metrics of a saved image model. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on the test set of the data set it was trained on.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A model.ckpt written by train --save-model.")
    Path checkpoint;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Evaluate at most N test images (default: all).")
    int limit;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256",
            description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    RuntimeOptions runtimeOptions;

    @Mixin
    DataFlags dataFlags;

    @Override
    public Integer call() {
        PositiveChecks.require("--batch-size", batchSize);
        PositiveChecks.requireLimit(limit);
        CheckpointDescription description = Checkpoint.readDescription(checkpoint);
        DataDescription data = description.data();
        ImageDatasetId dataset;
        try {
            dataset = ImageDatasetId.fromName(data.dataset());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Checkpoint " + checkpoint + " holds a " + description.model().modelName()
                    + " trained on '" + data.dataset() + "', not on an image data set; use 'generate' for char-rnn.", e);
        }
        ImageSplit test = ImageDatasets.load(dataset, dataFlags.options()).test();
        if (limit > 0 && limit < test.size()) {
            test = test.limit(limit);
        }
        ImageBatches batches = test.batches(batchSize, false, 0, normalization(data));
        TorchRuntime runtime = runtimeOptions.start();
        Evaluation evaluation;
        try (LoadedCheckpoint loaded = Checkpoint.load(checkpoint, runtime.device())) {
            evaluation = Evaluator.evaluate(loaded.model(), batches::epoch);
        }
        ConfusionMatrix confusion = evaluation.confusionMatrix(data.classNames());
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s on %s, epoch %d: test accuracy %.2f%% on %,d images, loss %.4f, macro F1 %.4f%n",
                description.model().modelName(), dataset.displayName(), description.epoch(),
                100 * evaluation.accuracy(), evaluation.examples(), evaluation.loss(), confusion.macroF1());
        out.printf(Locale.ROOT, "%-14s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1", "support");
        for (int c = 0; c < confusion.classNames().size(); c++) {
            out.printf(Locale.ROOT, "%-14s %9.4f %9.4f %9.4f %8d%n", confusion.classNames().get(c),
                    confusion.precision(c), confusion.recall(c), confusion.f1(c), confusion.support(c));
        }
        return 0;
    }

    /** The data set's normalisation that reproduces the one the checkpoint was trained with. */
    static Normalization normalization(DataDescription data) {
        boolean divideOnly = Arrays.equals(data.normalization().std(), ones(data.normalization().channels()))
                && Arrays.equals(data.normalization().mean(), new float[data.normalization().channels()]);
        return divideOnly ? Normalization.DIVIDE_255 : Normalization.MEAN_STD;
    }

    private static float[] ones(int n) {
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        return ones;
    }
}
