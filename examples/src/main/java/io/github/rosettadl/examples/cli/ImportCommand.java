package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.Normalization;
import io.github.rosettadl.core.interop.NpzWeights;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageMetadata;
import io.github.rosettadl.datasets.source.ImageDatasets;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code import FILE --model NAME --dataset DATA --output CHECKPOINT}: weights trained in PyTorch, saved
 * from a twin's {@code state_dict} as {@code .npz}, made into a checkpoint that {@code evaluate},
 * {@code predict} and {@code train --resume} read.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Make a checkpoint from .npz weights trained in the PyTorch twin (pytorch/train_twin.py),",
            "or written by 'export'. The file must hold exactly the twin's state_dict tensors."})
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .npz weights.")
    Path file;

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "The model or preset the weights belong to, as named in 'list' and in image_twins.TWINS.")
    String model;

    @Option(names = "--dataset", paramLabel = "DATA", defaultValue = "mnist",
            description = "mnist, fashion-mnist or cifar10 (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--output", required = true, paramLabel = "CHECKPOINT", description = "The checkpoint to write.")
    Path output;

    @Option(names = "--normalize", paramLabel = "HOW", defaultValue = "divide-255",
            description = "How the weights' training scaled the pixels: divide-255 (the twin scripts) or mean-std"
                    + " (default: ${DEFAULT-VALUE}).")
    String normalize;

    @Option(names = "--overwrite", description = "Replace --output if it exists (default: refuse).")
    boolean overwrite;

    @Mixin
    RuntimeOptions runtimeOptions;

    @Mixin
    DataFlags dataFlags;

    @Override
    public Integer call() {
        if (Files.exists(output) && !overwrite) {
            throw new IllegalArgumentException(output + " exists; pass --overwrite to replace it, or choose another"
                    + " --output.");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Weights file " + file + ": no such file. Save one from a twin with"
                    + " pytorch/train_twin.py or image_twins.save_npz.");
        }
        ImageDatasetId id = ImageDatasetId.fromName(dataset);
        // the data set gives the class names and the image shape the checkpoint records
        ImageMetadata metadata = ImageDatasets.load(id, dataFlags.options()).metadata();
        TwinNames.Named named = TwinNames.resolve(model, metadata);
        DataDescription data = new DataDescription(id.cliName(), metadata.classNames(), normalization(metadata));
        TorchRuntime runtime = runtimeOptions.start();
        NpzWeights.importCheckpoint(file, named.spec(), named.config(), data, output, runtime.device());
        spec.commandLine().getOut().printf("Imported %s into %s: %s on %s. Evaluate it with: rosetta evaluate %s%n",
                file, output, named.name(), id.displayName(), output);
        return 0;
    }

    private Normalization normalization(ImageMetadata metadata) {
        switch (normalize.toLowerCase(Locale.ROOT)) {
            case "divide-255":
                return Normalization.divideBy255(metadata.channels());
            case "mean-std":
                return new Normalization(metadata.mean(), metadata.std());
            default:
                throw new IllegalArgumentException("Invalid --normalize '" + normalize + "'. Valid: divide-255, mean-std.");
        }
    }
}
