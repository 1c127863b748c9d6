package io.github.rosettadl.core.checkpoint;

import java.nio.file.Path;

/** A checkpoint could not be written, read or matched to its model; the message names the file. */
public final class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * A problem with a checkpoint file.
     *
     * @param file the checkpoint
     * @param problem what is wrong and what would fix it
     */
    public CheckpointException(Path file, String problem) {
        super("Checkpoint " + file + ": " + problem);
    }

    /**
     * A problem with a checkpoint file, caused by another exception.
     *
     * @param file the checkpoint
     * @param problem what is wrong and what would fix it
     * @param cause what failed
     */
    public CheckpointException(Path file, String problem, Throwable cause) {
        super("Checkpoint " + file + ": " + problem, cause);
    }
}
