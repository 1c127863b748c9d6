package io.github.rosettadl.examples.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import io.github.rosettadl.core.io.AtomicFile;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.DataOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What a {@code train} run was started with, kept as {@code run.json} in its folder so that
 * {@code train --resume} continues it with the same model, data, hyperparameters and data order.
 * Where the data is read from is not part of it: that is the machine's business, given again by
 * {@code --data-dir}.
 *
 * @param model the model's command-line name
 * @param preset the preset's name, or null
 * @param dataset the data set's command-line name
 * @param config the hyperparameters
 * @param limit the image limit, 0 for all
 * @param dryRun whether it trains on one batch
 * @param normalization how pixels become floats
 * @param saveModel whether it writes checkpoints
 * @param steps gradient accumulation and precision; null in files written before they existed
 */
record RunSettings(String model, String preset, String dataset, TrainingConfig config, int limit, boolean dryRun,
        Normalization normalization, boolean saveModel, StepOptions steps) {

    /** The file's name in a run folder. */
    static final String FILE = "run.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    static RunSettings of(ImageClassifierRun.Request request) {
        return new RunSettings(request.model().cliName(), request.preset() == null ? null : request.preset().cliName(),
                request.dataset().cliName(), request.config(), request.limit(), request.dryRun(),
                request.normalization(), request.saveModel(), request.steps());
    }

    ImageClassifierRun.Request toRequest(DataOptions data) {
        Preset variant = preset == null ? null : Preset.fromName(preset);
        return new ImageClassifierRun.Request(ModelChoice.fromName(model), ImageDatasetId.fromName(dataset), config,
                limit, dryRun, normalization, data, saveModel, variant, steps);
    }

    void write(Path dir) {
        AtomicFile.write(dir.resolve(FILE), temp -> Files.writeString(temp, GSON.toJson(this) + "\n"));
    }

    /**
     * Reads the settings of the run in a folder.
     *
     * @param dir the run's folder
     * @return the settings
     * @throws IllegalArgumentException naming the file when it is missing, unreadable or damaged
     */
    static RunSettings read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            RunSettings settings = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), RunSettings.class);
            if (settings == null || settings.model == null || settings.dataset == null || settings.config == null
                    || settings.normalization == null) {
                throw new JsonParseException("model, dataset, config or normalization is missing");
            }
            return settings;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("'" + dir + "' has no " + FILE + ", so it is not the folder of a"
                    + " 'train' run of an image model. Give the folder a run wrote (or its model.ckpt); a checkpoint"
                    + " on its own can be used with evaluate and predict.", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + " (" + e.getMessage() + ").", e);
        } catch (JsonParseException | IllegalArgumentException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause().getMessage() != null) {
                root = root.getCause();
            }
            throw new IllegalArgumentException(file + " is damaged (" + root.getMessage() + "); --resume cannot"
                    + " continue this run. Start it again with 'train'.", e);
        }
    }
}
