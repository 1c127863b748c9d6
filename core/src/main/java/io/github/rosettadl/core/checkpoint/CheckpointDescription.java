package io.github.rosettadl.core.checkpoint;

import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.OptimizerKind;
import io.github.rosettadl.core.training.TrainingConfig;

import java.util.List;

/**
 * The JSON part of a checkpoint ({@code checkpoint.json} in the archive): enough to rebuild the
 * model, check its weights, continue training and predict.
 *
 * @param format always {@value Checkpoint#FORMAT}
 * @param formatVersion the layout version, {@value Checkpoint#FORMAT_VERSION} when written by this code
 * @param model the architecture and its constructor arguments
 * @param inputShape the shape of one input example without the batch axis
 * @param training the hyperparameters
 * @param epoch the epochs trained
 * @param metrics the last epoch's metrics, {@code null} before the first epoch
 * @param history every epoch's metrics
 * @param data class names and normalisation
 * @param parameters name and shape of each weight tensor, in the order of {@code parameters.bin}
 * @param optimizer the optimiser and its step count; its buffers are in {@code optimizer.bin}
 */
public record CheckpointDescription(String format, int formatVersion, ModelSpec model, long[] inputShape,
        TrainingConfig training, int epoch, EpochMetrics metrics, List<EpochMetrics> history, DataDescription data,
        List<Tensor> parameters, Optimizer optimizer) {

    /**
     * One weight tensor.
     *
     * @param name its {@code state_dict}-style name, for example {@code conv1.weight}
     * @param shape its shape
     */
    public record Tensor(String name, long[] shape) {
    }

    /**
     * The optimiser's scalar state.
     *
     * @param kind which optimiser
     * @param steps updates made so far
     * @param buffers how many parameter-sized float32 buffers {@code optimizer.bin} holds
     */
    public record Optimizer(OptimizerKind kind, long steps, int buffers) {
    }
}
