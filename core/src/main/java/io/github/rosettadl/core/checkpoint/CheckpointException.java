package io.github.rosettadl.core.checkpoint;

import java.nio.file.Path;

/** A checkpoint could not be written, read or matched to its model; the message names the file. */
public final class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CheckpointException(Path file, String problem) {
        super("Checkpoint " + file + ": " + problem);
    }

    CheckpointException(Path file, String problem, Throwable cause) {
        super("Checkpoint " + file + ": " + problem, cause);
    }
}
