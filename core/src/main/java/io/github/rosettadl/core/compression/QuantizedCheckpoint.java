package io.github.rosettadl.core.compression;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.checkpoint.CheckpointException;
import io.github.rosettadl.core.checkpoint.CheckpointZip;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.models.SeedModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A checkpoint whose weight matrices and convolution kernels are stored as int8 with one float32
 * scale per output channel ({@link Int8Quantizer}), for evaluation and prediction.
 *
 * <pre>{@code
 * QuantizationSummary s = QuantizedCheckpoint.quantize(Path.of("model.ckpt"), Path.of("model-int8.ckpt"));
 * try (LoadedCheckpoint loaded = Checkpoint.load(Path.of("model-int8.ckpt"), Device.cpu())) { ... }
 * }</pre>
 *
 * <p>The file is a zip like any checkpoint: {@code checkpoint.json} is the float32 checkpoint's
 * description unchanged, {@code quantization.json} names the tensors stored as int8,
 * {@code weights-int8.bin} holds their int8 values and {@code weights-float32.bin} their scales and
 * the tensors kept in float32 (biases, batch norm), both in the description's tensor order. It
 * keeps no optimiser state, so it cannot be resumed. {@link Checkpoint#load} reads it: the weights
 * are dequantized ({@code q * scale}) into float32 as they are loaded, and every check that a
 * float32 checkpoint passes applies to it alike, so a damaged file gives the same errors. The
 * engine then computes in float32: the file is four times smaller, the loaded model is not.
 */
public final class QuantizedCheckpoint {

    /** The entry that marks a quantized checkpoint and names its int8 tensors. */
    public static final String QUANTIZATION_ENTRY = "quantization.json";
    /** The value of {@link Description#scheme()}. */
    public static final String SCHEME = "int8-symmetric-per-output-channel";

    static final String INT8_ENTRY = "weights-int8.bin";
    static final String FLOAT32_ENTRY = "weights-float32.bin";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * The content of {@code quantization.json}.
     *
     * @param scheme always {@value #SCHEME}
     * @param int8Tensors the names of the tensors stored as int8, in the description's order
     */
    public record Description(String scheme, List<String> int8Tensors) {
    }

    private QuantizedCheckpoint() {
    }

    /**
     * Quantizes a float32 checkpoint's weights and writes the quantized checkpoint atomically.
     *
     * @param source a checkpoint written by training
     * @param target the file to write; an existing file is replaced
     * @return the sizes before and after, and the largest rounding error
     * @throws CheckpointException naming {@code source} when it cannot be loaded, or {@code target}
     *     when it cannot be written
     * @throws IllegalArgumentException when {@code source} is quantized already, or is {@code target}
     */
    public static QuantizationSummary quantize(Path source, Path target) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        if (source.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("Checkpoint " + source + " would be replaced by its own quantized copy;"
                    + " write the quantized checkpoint to another file.");
        }
        List<QuantizedTensor> int8 = new ArrayList<>();
        List<float[]> float32 = new ArrayList<>();
        CheckpointDescription description;
        long values = 0;
        double worst = 0;
        try (LoadedCheckpoint loaded = Checkpoint.load(source, Device.cpu())) {
            if (isQuantized(source)) {
                throw new IllegalArgumentException("Checkpoint " + source + " is quantized already (it holds "
                        + QUANTIZATION_ENTRY + "); quantize the float32 checkpoint it was made from.");
            }
            description = loaded.description();
            for (Map.Entry<String, Parameter> p : ((SeedModel) loaded.model().getBlock()).namedParameters().entrySet()) {
                NDArray array = p.getValue().getArray();
                long[] shape = array.getShape().getShape();
                float[] w = array.toFloatArray();
                values += w.length;
                if (Int8Quantizer.quantizes(shape)) {
                    QuantizedTensor q = Int8Quantizer.quantize(p.getKey(), shape, w);
                    int8.add(q);
                    float32.add(q.scales());
                    worst = Math.max(worst, largestErrorInSteps(w, q));
                } else {
                    float32.add(w);
                }
            }
        }
        Description quantization = new Description(SCHEME, int8.stream().map(QuantizedTensor::name).toList());
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("checkpoint.json", readEntry(source, "checkpoint.json"));
        entries.put(QUANTIZATION_ENTRY, GSON.toJson(quantization).getBytes(StandardCharsets.UTF_8));
        entries.put(INT8_ENTRY, concatenate(int8));
        entries.put(FLOAT32_ENTRY, CheckpointZip.littleEndian(float32));
        CheckpointZip.write(target, entries);
        long int8Bytes = entries.get(INT8_ENTRY).length + (long) entries.get(FLOAT32_ENTRY).length;
        try {
            return new QuantizationSummary(description.model().modelName(), description.data().dataset(),
                    Files.size(source), values * Float.BYTES, Files.size(target), int8Bytes, int8.size(),
                    description.parameters().size() - int8.size(), worst);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the size of " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a file is a quantized checkpoint (holds {@value #QUANTIZATION_ENTRY}).
     *
     * @param file a checkpoint
     * @return true for a quantized one; false for a float32 one or a file that is no zip archive
     */
    public static boolean isQuantized(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(QUANTIZATION_ENTRY) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The int8 tensors of a quantized checkpoint, as stored (for example to draw their histograms).
     *
     * @param file a quantized checkpoint
     * @return the tensors by name, in the description's order
     * @throws CheckpointException naming the file when it is not a quantized checkpoint or is damaged
     */
    public static Map<String, QuantizedTensor> readInt8Tensors(Path file) {
        // loading checks the whole file first, as for any checkpoint
        CheckpointDescription description = Checkpoint.readDescription(file);
        if (!isQuantized(file)) {
            throw new CheckpointException(file, "not a quantized checkpoint (no " + QUANTIZATION_ENTRY
                    + " inside); write one with 'rosetta quantize'.");
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String name : List.of(QUANTIZATION_ENTRY, INT8_ENTRY, FLOAT32_ENTRY)) {
            entries.put(name, readEntry(file, name));
        }
        return decode(file, description, entries).int8;
    }

    /**
     * Expands a quantized checkpoint's weights to the float32 layout of {@code parameters.bin}: the
     * step {@link Checkpoint} takes when it reads a file that holds {@value #QUANTIZATION_ENTRY}.
     * The description's tensor shapes have been checked already.
     *
     * @param file the checkpoint, for messages
     * @param description its checked description
     * @param entries the archive's entries by name
     * @return every tensor as float32 little-endian, in the description's order
     * @throws CheckpointException naming the file and the entry when an entry is missing, does not
     *     fit the description, or holds an invalid value
     */
    public static byte[] float32Parameters(Path file, CheckpointDescription description, Map<String, byte[]> entries) {
        Decoded decoded = decode(file, description, entries);
        return CheckpointZip.littleEndian(decoded.float32);
    }

    /** Every tensor dequantized, and the int8 ones as stored. */
    private record Decoded(List<float[]> float32, Map<String, QuantizedTensor> int8) {
    }

    private static Decoded decode(Path file, CheckpointDescription description, Map<String, byte[]> entries) {
        for (String name : List.of(QUANTIZATION_ENTRY, INT8_ENTRY, FLOAT32_ENTRY)) {
            if (!entries.containsKey(name)) {
                throw new CheckpointException(file, "the file is truncated or incomplete: " + name + " is missing.");
            }
        }
        Description quantization;
        try {
            quantization = GSON.fromJson(new String(entries.get(QUANTIZATION_ENTRY), StandardCharsets.UTF_8),
                    Description.class);
        } catch (JsonParseException e) {
            throw new CheckpointException(file, QUANTIZATION_ENTRY + " cannot be read: " + e.getMessage(), e);
        }
        if (quantization == null || !SCHEME.equals(quantization.scheme()) || quantization.int8Tensors() == null) {
            throw new CheckpointException(file, QUANTIZATION_ENTRY + " must name the scheme '" + SCHEME
                    + "' and list int8Tensors." + REQUANTIZE);
        }
        Set<String> int8Names = new HashSet<>(quantization.int8Tensors());
        List<CheckpointDescription.Tensor> tensors = description.parameters();
        long int8Values = 0;
        long floatValues = 0;
        List<String> inOrder = new ArrayList<>();
        for (CheckpointDescription.Tensor t : tensors) {
            long size = new Shape(t.shape()).size();
            if (int8Names.contains(t.name())) {
                if (!Int8Quantizer.quantizes(t.shape())) {
                    throw new CheckpointException(file, QUANTIZATION_ENTRY + " lists " + t.name() + " as int8, but"
                            + " its shape " + new Shape(t.shape()) + " has no output channels to scale." + REQUANTIZE);
                }
                inOrder.add(t.name());
                int8Values += size;
                floatValues += t.shape()[0];
            } else {
                floatValues += size;
            }
        }
        if (!inOrder.equals(quantization.int8Tensors())) {
            throw new CheckpointException(file, QUANTIZATION_ENTRY + " lists int8Tensors " + quantization.int8Tensors()
                    + ", but checkpoint.json's parameters hold " + inOrder + " in that order." + REQUANTIZE);
        }
        byte[] int8 = entries.get(INT8_ENTRY);
        byte[] float32 = entries.get(FLOAT32_ENTRY);
        if (int8.length != int8Values || float32.length != floatValues * Float.BYTES) {
            throw new CheckpointException(file, INT8_ENTRY + " and " + FLOAT32_ENTRY + " hold " + int8.length
                    + " and " + float32.length + " bytes, but the described tensors need " + int8Values + " and "
                    + floatValues * Float.BYTES + "; the file is truncated or corrupt." + REQUANTIZE);
        }
        FloatBuffer floats = ByteBuffer.wrap(float32).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        List<float[]> expanded = new ArrayList<>();
        Map<String, QuantizedTensor> quantized = new LinkedHashMap<>();
        int at = 0;
        for (CheckpointDescription.Tensor t : tensors) {
            int size = Math.toIntExact(new Shape(t.shape()).size());
            if (int8Names.contains(t.name())) {
                float[] scales = new float[Math.toIntExact(t.shape()[0])];
                floats.get(scales);
                byte[] values = new byte[size];
                System.arraycopy(int8, at, values, 0, size);
                at += size;
                QuantizedTensor q;
                try {
                    q = new QuantizedTensor(t.name(), t.shape(), values, scales);
                } catch (IllegalArgumentException e) {
                    throw new CheckpointException(file, FLOAT32_ENTRY + ": " + e.getMessage() + REQUANTIZE, e);
                }
                quantized.put(t.name(), q);
                expanded.add(q.dequantize());
            } else {
                float[] values = new float[size];
                floats.get(values);
                expanded.add(values);
            }
        }
        return new Decoded(expanded, quantized);
    }

    private static final String REQUANTIZE = " Quantize the float32 checkpoint again (rosetta quantize).";

    /** The largest |w - q * scale| of a tensor, in steps of its channel: at most 0.5 by construction. */
    private static double largestErrorInSteps(float[] w, QuantizedTensor q) {
        float[] back = q.dequantize();
        double worst = 0;
        for (int i = 0; i < w.length; i++) {
            float step = q.stepAt(i);
            if (step > 0) {
                worst = Math.max(worst, Math.abs(w[i] - back[i]) / step);
            }
        }
        return worst;
    }

    private static byte[] readEntry(Path file, String name) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw new CheckpointException(file, "the file is truncated or incomplete: " + name + " is missing.");
            }
            return zip.getInputStream(entry).readAllBytes();
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] concatenate(List<QuantizedTensor> tensors) {
        int size = tensors.stream().mapToInt(t -> t.values().length).sum();
        ByteBuffer buffer = ByteBuffer.allocate(size);
        tensors.forEach(t -> buffer.put(t.values()));
        return buffer.array();
    }
}
