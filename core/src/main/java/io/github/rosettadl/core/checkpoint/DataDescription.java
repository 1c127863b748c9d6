package io.github.rosettadl.core.checkpoint;

import java.util.List;
import java.util.Objects;

/**
 * What a checkpoint must know about the training data to be used on its own: the class names (the
 * vocabulary's characters for a character model) and how images were normalised.
 *
 * @param dataset the data set's name, for people reading the checkpoint (for example {@code mnist})
 * @param classNames one name per output, index = class
 * @param normalization how pixels were scaled, or {@code null} for non-image input
 */
public record DataDescription(String dataset, List<String> classNames, Normalization normalization) {

    /**
     * Checks and copies the class names.
     *
     * @throws IllegalArgumentException when there are no class names or one is null
     */
    public DataDescription {
        Objects.requireNonNull(dataset, "dataset");
        if (classNames == null || classNames.isEmpty()) {
            throw new IllegalArgumentException("A data description needs the class names.");
        }
        for (int i = 0; i < classNames.size(); i++) {
            if (classNames.get(i) == null) {
                throw new IllegalArgumentException("Class name " + i + " is null; every class needs a name.");
            }
        }
        classNames = List.copyOf(classNames);
    }
}
