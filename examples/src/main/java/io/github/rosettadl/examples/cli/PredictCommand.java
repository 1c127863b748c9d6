package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.predict.Classification;
import io.github.rosettadl.core.predict.ImageClassifier;
import io.github.rosettadl.core.predict.Prediction;
import io.github.rosettadl.core.runtime.TorchRuntime;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code predict MODEL IMAGE...}: the top classes of each image, with probabilities, from a checkpoint
 * or from a TorchScript file traced in Python (run through DJL's PyTorch engine). An image
 * with a light background given to a model trained on dark ones (MNIST, Fashion-MNIST) is inverted
 * first, and its line says so.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict the top-k classes of image files with a saved image model.",
            "MNIST and Fashion-MNIST models were trained on light shapes on black: an image with a light"
                + " background is inverted first, and its line says so."})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = {"A model.ckpt written by train --save-model or"
            + " import, or a TorchScript file traced in Python (pytorch/trace_twin.py) with --dataset."})
    Path checkpoint;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE",
            description = "PNG, JPEG, GIF or BMP files; any size, colour or grey.")
    List<Path> images;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "3",
            description = "How many classes to show per image (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--dataset", paramLabel = "DATA",
            description = "For a TorchScript MODEL: the data set it was trained on (mnist, fashion-mnist or cifar10),"
                    + " for the image shape and class names; it takes pixels / 255.")
    String dataset;

    @Mixin
    RuntimeOptions runtimeOptions;

    @Mixin
    DataFlags dataFlags;

    @Override
    public Integer call() {
        PositiveChecks.require("--top-k", topK);
        boolean torchScript = TorchScriptInput.isTorchScript(checkpoint, dataset);
        TorchScriptInput input = torchScript ? TorchScriptInput.of(dataset, dataFlags) : null;
        TorchRuntime runtime = runtimeOptions.start();
        PrintWriter out = spec.commandLine().getOut();
        try (ImageClassifier classifier = torchScript
                ? ImageClassifier.loadTorchScript(checkpoint, input.shape(), input.data(), runtime.device())
                : ImageClassifier.load(checkpoint, runtime.device())) {
            int k = Math.min(topK, classifier.classNames().size());
            for (Path image : images) {
                Classification classification;
                try {
                    classification = classifier.classify(image, k);
                } catch (UncheckedIOException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
                StringBuilder line = new StringBuilder(image.toString()).append(':');
                for (Prediction p : classification.top()) {
                    line.append(String.format(Locale.ROOT, "  %s %.1f%%", p.className(), 100 * p.probability()));
                }
                if (classification.inverted()) {
                    line.append("  (inverted: the image has a light background, the model was trained on light"
                            + " shapes on black)");
                }
                out.println(line);
            }
        }
        return 0;
    }
}
