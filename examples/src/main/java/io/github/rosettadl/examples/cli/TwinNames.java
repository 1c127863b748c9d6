package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.models.ImageModelSpec;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.image.ImageMetadata;

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The names shared with the PyTorch twins of {@code pytorch/image_twins.py}: every image model and
 * every preset, which the twins' {@code TWINS} table keys the same way.
 */
final class TwinNames {

    /**
     * A model or preset for one data set.
     *
     * @param name the model or preset name
     * @param spec its architecture for the data set
     * @param config its training settings
     */
    record Named(String name, ImageModelSpec spec, TrainingConfig config) {
    }

    private TwinNames() {
    }

    /**
     * Finds an image model or a preset by name.
     *
     * @param name for example {@code simple-cnn} or {@code vgg-bn}
     * @param metadata the data set, for the image shape and class count
     * @return the architecture and settings
     * @throws IllegalArgumentException naming the value and the valid names
     */
    static Named resolve(String name, ImageMetadata metadata) {
        for (ModelChoice choice : ModelChoice.imageModels()) {
            if (choice.cliName().equalsIgnoreCase(String.valueOf(name).trim())) {
                return new Named(choice.cliName(), choice.imageSpec(metadata), choice.seedConfig());
            }
        }
        for (Preset preset : Preset.values()) {
            if (preset.cliName().equalsIgnoreCase(String.valueOf(name).trim())) {
                return new Named(preset.cliName(), preset.imageSpec(metadata), preset.config());
            }
        }
        throw new IllegalArgumentException("Unknown --model '" + name + "'. Valid: " + validNames() + ".");
    }

    /**
     * The model or preset name whose architecture is {@code spec} on this data set.
     *
     * @param spec a checkpoint's architecture
     * @param metadata the data set it was trained on
     * @return the name the twins know it by, if any (a model built with other arguments has none)
     */
    static Optional<String> nameOf(ImageModelSpec spec, ImageMetadata metadata) {
        for (ModelChoice choice : ModelChoice.imageModels()) {
            if (choice.imageSpec(metadata).equals(spec)) {
                return Optional.of(choice.cliName());
            }
        }
        for (Preset preset : Preset.values()) {
            if (preset.imageSpec(metadata).equals(spec)) {
                return Optional.of(preset.cliName());
            }
        }
        return Optional.empty();
    }

    /**
     * Every image model and preset name, comma-separated.
     *
     * @return the names
     */
    static String validNames() {
        return ModelChoice.imageModels().stream().map(ModelChoice::cliName).collect(Collectors.joining(", "))
                + ", " + Preset.names();
    }
}
