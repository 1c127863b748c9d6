package io.github.rosettadl.core.checkpoint;

import ai.djl.Model;

/**
 * A model rebuilt from a checkpoint with its weights, and the checkpoint's description.
 *
 * @param model the model, ready for inference; closed with this object
 * @param description what the checkpoint says about the model, its training and its data
 */
public record LoadedCheckpoint(Model model, CheckpointDescription description) implements AutoCloseable {

    @Override
    public void close() {
        model.close();
    }
}
