package io.github.rosettadl.examples.cli.results;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

import io.github.rosettadl.core.io.AtomicFile;
import io.github.rosettadl.core.io.StorageException;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of the results table, kept as JSON so that a run in parts ({@code --only mnist}, then
 * {@code --only cifar10}) replaces its own rows and keeps the others.
 */
public final class ResultsStore {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private final Path file;
    private final List<ResultRow> rows;

    private ResultsStore(Path file, List<ResultRow> rows) {
        this.file = file;
        this.rows = rows;
    }

    /**
     * Reads the stored rows, or starts empty when the file does not exist yet.
     *
     * @param file the JSON file
     * @return the store
     * @throws IllegalArgumentException naming the file when it exists but is not a results file
     * @throws StorageException naming the file when it cannot be read (permission, device)
     */
    public static ResultsStore open(Path file) {
        if (!Files.exists(file)) {
            return new ResultsStore(file, new ArrayList<>());
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            List<ResultRow> stored = GSON.fromJson(reader, new TypeToken<List<ResultRow>>() { }.getType());
            return new ResultsStore(file, stored == null ? new ArrayList<>() : new ArrayList<>(stored));
        } catch (IOException e) {
            if (StorageException.isEnvironment(e)) {
                // the rows may be intact: never advise moving them away
                throw StorageException.of("Cannot read the results file " + file, e,
                        "Make it readable; its rows are kept as they are.");
            }
            throw new IllegalArgumentException("Cannot read the results file " + file + " (" + e.getMessage()
                    + "). Move it away to start a new table, or restore it from git.", e);
        } catch (JsonParseException | NullPointerException e) {
            throw new IllegalArgumentException("Cannot read the results file " + file + " (" + e.getMessage()
                    + "). Move it away to start a new table, or restore it from git.", e);
        }
    }

    /**
     * Adds a row, replacing any earlier row with the same id, and saves the file atomically. The file
     * is read again under a lock first, so that parts run side by side keep each other's rows.
     *
     * @param row the finished run
     */
    public void put(ResultRow row) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                rows.clear();
                rows.addAll(open(file).rows);
                rows.removeIf(r -> r.id().equals(row.id()));
                rows.add(row);
                String json = GSON.toJson(rows) + System.lineSeparator();
                AtomicFile.write(file, temp -> Files.writeString(temp, json));
            }
        } catch (IOException e) {
            if (StorageException.isEnvironment(e)) {
                throw StorageException.of("Cannot update the results file " + file, e,
                        "Free some space or make its folder writable; the rows stored so far are kept.");
            }
            throw new UncheckedIOException("Cannot update the results file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every stored row, in the order they were added.
     *
     * @return the rows
     */
    public List<ResultRow> rows() {
        return List.copyOf(rows);
    }
}
