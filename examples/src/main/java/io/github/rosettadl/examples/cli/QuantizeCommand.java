package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.compression.QuantizationSummary;
import io.github.rosettadl.core.compression.QuantizedCheckpoint;
import io.github.rosettadl.core.io.StorageException;
import io.github.rosettadl.core.io.WritableFolder;
import io.github.rosettadl.core.report.RunReport;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.TorchRuntime;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code quantize CHECKPOINT}: writes a copy whose weight matrices and convolution kernels are int8
 * with one scale per output channel, about a quarter of the float32 weights' size, for
 * {@code evaluate} and {@code predict}.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize a checkpoint's weights to int8 (symmetric, per output channel) for evaluate and"
                + " predict.")
final class QuantizeCommand implements Callable<Integer> {

    /** The file the quantized checkpoint is written to, inside --output-dir. */
    static final String FILE = "model.ckpt";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A model.ckpt written by train --save-model.")
    Path checkpoint;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Where model.ckpt goes, a new or empty folder (default: runs/<time>-<model>-<dataset>-int8).")
    Path outputDir;

    @Option(names = "--overwrite", description = "Replace model.ckpt in an --output-dir that holds files (default:"
            + " refuse such a folder).")
    boolean overwrite;

    @Override
    public Integer call() {
        // the whole description is checked before any folder is made
        CheckpointDescription description = Checkpoint.readDescription(checkpoint);
        Path dir = outputDir != null ? outputDir
                : RunReport.defaultDir(description.model().modelName(), description.data().dataset() + "-int8");
        requireUsable(dir);
        TorchRuntime.start(DeviceSpec.parse("cpu"));
        boolean created = !Files.exists(dir);
        QuantizationSummary summary;
        try {
            Files.createDirectories(dir);
            summary = QuantizedCheckpoint.quantize(checkpoint, dir.resolve(FILE));
        } catch (IOException e) {
            throw StorageException.of("Cannot create " + dir, e, "Choose another --output-dir.");
        } catch (RuntimeException e) {
            if (created) {
                deleteIfEmpty(dir, e);
            }
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s on %s: %d tensors as int8 with a scale per output channel (weight matrices and"
                        + " kernels), %d kept float32 (biases, batch norm); largest rounding %.3f of a step.%n",
                summary.model(), summary.dataset(), summary.int8Tensors(), summary.float32Tensors(),
                summary.largestErrorInSteps());
        out.printf(Locale.ROOT, "float32: checkpoint %,d bytes, of which weights %,d (the rest is the optimiser"
                + " state and the description)%n", summary.sourceFileBytes(), summary.float32WeightBytes());
        out.printf(Locale.ROOT, "int8:    checkpoint %,d bytes = %.3fx the float32 weights; loaded, the weights are"
                + " float32 again (%,d bytes in memory)%n", summary.quantizedFileBytes(), summary.ratio(),
                summary.float32WeightBytes());
        out.printf(Locale.ROOT, "Wrote %s. Try: rosetta evaluate %s%n", dir.resolve(FILE), dir.resolve(FILE));
        out.flush();
        return 0;
    }

    private void requireUsable(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output-dir " + dir + " is a file, not a folder. Choose a new"
                    + " or empty folder.");
        }
        WritableFolder.require(dir, "Choose another --output-dir.");
        List<String> present = entries(dir);
        if (!present.isEmpty() && !overwrite) {
            throw new IllegalArgumentException("--output-dir " + dir + " already holds files ("
                    + String.join(", ", present.subList(0, Math.min(5, present.size())))
                    + (present.size() > 5 ? ", ..." : "") + "). Choose a new or empty folder, or pass --overwrite to"
                    + " replace its " + FILE + ".");
        }
    }

    private static List<String> entries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw StorageException.of("Cannot list " + dir, e, "Choose another --output-dir.");
        }
    }

    /** A quantization that failed leaves no empty folder behind, as a run that cannot start leaves none. */
    private static void deleteIfEmpty(Path dir, RuntimeException failure) {
        try {
            if (entries(dir).isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
