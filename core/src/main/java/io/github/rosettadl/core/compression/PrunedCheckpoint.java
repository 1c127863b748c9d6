package io.github.rosettadl.core.compression;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointZip;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.io.StorageException;
import io.github.rosettadl.core.training.TrainingSession;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Writes a pruned model as a checkpoint that keeps only its nonzero weights: the archive of
 * {@link Checkpoint}, with {@code parameters.bin} and {@code optimizer.bin} replaced by their
 * {@link SparseParameters} form ({@code parameters.sparse}, {@code optimizer.sparse}, deflated, so
 * that a mostly empty bitmask costs little) and a {@code pruning.json} ({@link PruningSummary}).
 * {@link Checkpoint#load} reads it like any other checkpoint, with the same checks and the same
 * errors, so {@code evaluate} and {@code predict} take it as it is.
 *
 * <p>The optimiser's buffers are written as zeros: predicting does not need them, and Adam's two
 * moments would otherwise cost twice the weights again.
 */
public final class PrunedCheckpoint {

    /** The entry with the {@link PruningSummary}. */
    public static final String SUMMARY_ENTRY = "pruning.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private PrunedCheckpoint() {
    }

    /**
     * Saves a pruned training session, atomically.
     *
     * @param file the checkpoint file; its folder must exist; an existing file is replaced
     * @param session the session whose model holds the pruned weights
     * @param data the class names and normalisation of the training data
     * @param summary how the model was pruned
     * @throws io.github.rosettadl.core.checkpoint.CheckpointException naming the file when it cannot
     *     be written
     */
    public static void save(Path file, TrainingSession session, DataDescription data, PruningSummary summary) {
        Path dense;
        try {
            Path folder = file.toAbsolutePath().getParent();
            dense = Files.createTempFile(folder, "." + file.getFileName(), ".dense");
        } catch (IOException e) {
            throw StorageException.of("Cannot write the checkpoint " + file, e, "Free some space or choose a writable"
                    + " folder.");
        }
        Map<String, byte[]> entries;
        try {
            Checkpoint.save(dense, session, data);
            entries = readEntries(dense);
        } finally {
            try {
                Files.deleteIfExists(dense);
            } catch (IOException e) {
                // only a temporary copy is left behind; the pruned checkpoint is still written
            }
        }
        Map<String, byte[]> pruned = new LinkedHashMap<>();
        pruned.put("checkpoint.json", entries.get("checkpoint.json"));
        pruned.put(SparseParameters.sparseName("parameters.bin"), SparseParameters.encode(entries.get("parameters.bin")));
        pruned.put(SparseParameters.sparseName("optimizer.bin"),
                SparseParameters.encode(new byte[entries.get("optimizer.bin").length]));
        pruned.put(SUMMARY_ENTRY, GSON.toJson(summary).getBytes(StandardCharsets.UTF_8));
        CheckpointZip.write(file, pruned);
    }

    /**
     * How a pruned checkpoint was pruned.
     *
     * @param file a checkpoint
     * @return its summary, or null when it is not a pruned checkpoint
     * @throws io.github.rosettadl.core.checkpoint.CheckpointException naming the file when it is
     *     missing, damaged or not a checkpoint
     */
    public static PruningSummary readSummary(Path file) {
        Checkpoint.readDescription(file); // the same checks, and errors, as any checkpoint
        byte[] json = readEntries(file).get(SUMMARY_ENTRY);
        if (json == null) {
            return null;
        }
        try {
            return GSON.fromJson(new String(json, StandardCharsets.UTF_8), PruningSummary.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Checkpoint " + file + ": " + SUMMARY_ENTRY + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> readEntries(Path file) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the checkpoint " + file + ": " + e.getMessage(), e);
        }
        return entries;
    }
}
