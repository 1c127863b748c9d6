package io.github.rosettadl.core.interop;

import java.nio.file.Path;

/**
 * A weights file given by the user cannot be read or does not fit the model; the message names the
 * file and each tensor that is wrong. It is bad input, like any other argument that does not fit,
 * hence an {@link IllegalArgumentException}.
 */
public final class WeightsFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    WeightsFileException(Path file, String problem) {
        super("Weights file " + file + ": " + problem);
    }
}
