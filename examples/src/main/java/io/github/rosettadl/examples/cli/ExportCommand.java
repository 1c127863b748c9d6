package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.KnownDataset;
import io.github.rosettadl.core.interop.NpzWeights;
import io.github.rosettadl.core.models.ImageModelSpec;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageMetadata;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code export CHECKPOINT FILE}: a checkpoint's weights as NumPy {@code .npz}, named as the PyTorch
 * twin's {@code state_dict} ({@code pytorch/image_twins.py}), for plain PyTorch to load.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a checkpoint's weights as NumPy .npz, named as the PyTorch twin's state_dict.",
            "In Python: image_twins.load_npz(image_twins.twin_for_dataset(MODEL, DATASET), FILE);"
                + " pytorch/predict_npz.py predicts the test set with it."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A model.ckpt of an image model.")
    Path checkpoint;

    @Parameters(index = "1", paramLabel = "FILE", description = "The .npz file to write.")
    Path file;

    @Option(names = "--overwrite", description = "Replace FILE if it exists (default: refuse).")
    boolean overwrite;

    @Mixin
    RuntimeOptions runtimeOptions;

    @Override
    public Integer call() {
        if (Files.exists(file) && !overwrite) {
            throw new IllegalArgumentException(file + " exists; pass --overwrite to replace it, or choose another FILE.");
        }
        CheckpointDescription description = Checkpoint.readDescription(checkpoint);
        if (!(description.model() instanceof ImageModelSpec model)) {
            throw new IllegalArgumentException("Checkpoint " + checkpoint + " holds " + description.model().modelName()
                    + ", not an image model: only image models have PyTorch twins (pytorch/image_twins.py).");
        }
        TorchRuntime runtime = runtimeOptions.start();
        NpzWeights.exportCheckpoint(checkpoint, file, runtime.device());
        DataDescription data = description.data();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Wrote the %d weight tensors of %s (%s, epoch %d) to %s.%n", description.parameters().size(),
                model.modelName(), data.dataset(), description.epoch(), file);
        Optional<String> twin = twinName(model, data);
        String normalization = normalizationFlags(data);
        if (twin.isPresent()) {
            out.printf("Predict the test set in PyTorch: /usr/bin/python3 pytorch/predict_npz.py %s --model %s"
                    + " --dataset %s%s --output predictions.txt%n", file, twin.get(), data.dataset(), normalization);
        } else {
            out.printf("Its twin is image_twins.%s with the arguments of %s%s.%n", model.getClass().getEnclosingClass()
                    .getSimpleName(), model, normalization.isEmpty() ? "" : "; normalise with" + normalization);
        }
        return 0;
    }

    private static Optional<String> twinName(ImageModelSpec model, DataDescription data) {
        Optional<KnownDataset> known = KnownDataset.named(data.dataset());
        if (known.isEmpty()) {
            return Optional.empty();
        }
        ImageShape shape = known.get().shape();
        ImageMetadata metadata = new ImageMetadata(ImageDatasetId.fromName(data.dataset()), data.classNames(),
                shape.channels(), shape.height(), shape.width(), data.normalization().mean(), data.normalization().std());
        return TwinNames.nameOf(model, metadata);
    }

    /** The predict_npz.py flags of a mean-std normalisation; none for the seeds' divide-by-255. */
    private static String normalizationFlags(DataDescription data) {
        float[] mean = data.normalization().mean();
        float[] std = data.normalization().std();
        float[] ones = new float[std.length];
        Arrays.fill(ones, 1f);
        if (Arrays.equals(mean, new float[mean.length]) && Arrays.equals(std, ones)) {
            return "";
        }
        return " --mean " + join(mean) + " --std " + join(std);
    }

    private static String join(float[] values) {
        StringBuilder s = new StringBuilder();
        for (float v : values) {
            s.append(s.length() == 0 ? "" : " ").append(v);
        }
        return s.toString();
    }
}
