package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.Normalization;
import io.github.rosettadl.core.interop.TorchScriptModels;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageMetadata;
import io.github.rosettadl.datasets.source.ImageDatasets;

import java.nio.file.Path;

/**
 * What {@code predict} and {@code evaluate} need to know about a TorchScript MODEL that a checkpoint
 * would have told them: the data set it was trained on, hence the image shape, the class names, and
 * the pixels divided by 255 (the input pytorch/trace_twin.py traces with).
 *
 * @param dataset the data set
 * @param shape the image shape the module takes
 * @param data the class names and normalisation
 */
record TorchScriptInput(ImageDatasetId dataset, ImageShape shape, DataDescription data) {

    /**
     * Checks the --dataset flag against the kind of MODEL file.
     *
     * @param model the MODEL argument: a checkpoint or a TorchScript file
     * @param dataset the --dataset flag, or null
     * @return true for a TorchScript file, which then has a data set
     * @throws IllegalArgumentException for TorchScript without --dataset, or a checkpoint with one
     */
    static boolean isTorchScript(Path model, String dataset) {
        boolean torchScript = TorchScriptModels.isTorchScript(model);
        if (torchScript && dataset == null) {
            throw new IllegalArgumentException(model + " is a TorchScript file, which does not say what it was trained"
                    + " on: add --dataset mnist, fashion-mnist or cifar10.");
        }
        if (!torchScript && dataset != null) {
            throw new IllegalArgumentException("--dataset is for TorchScript files only; the checkpoint " + model
                    + " knows its data set (or is not a checkpoint: check the path).");
        }
        return torchScript;
    }

    /**
     * Reads the data set's description.
     *
     * @param dataset the --dataset flag
     * @param flags where the data set lies
     * @return the input description
     */
    static TorchScriptInput of(String dataset, DataFlags flags) {
        ImageDatasetId id = ImageDatasetId.fromName(dataset);
        ImageMetadata metadata = ImageDatasets.load(id, flags.options()).metadata();
        return new TorchScriptInput(id, new ImageShape(metadata.channels(), metadata.height(), metadata.width()),
                new DataDescription(id.cliName(), metadata.classNames(), Normalization.divideBy255(metadata.channels())));
    }
}
