package io.github.rosettadl.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.models.SeedModel;

import java.util.List;

/**
 * Computes a training step's gradient in place of plain backpropagation of the mean loss, for
 * example DP-SGD's clipped and noised sum of per-example gradients
 * ({@code io.github.rosettadl.core.privacy.DpSgd}). The session then hands the gradient to its
 * optimiser as usual.
 */
@FunctionalInterface
public interface GradientRule {

    /**
     * What a step computed.
     *
     * @param logits the batch's {@code (N, K)} scores, for the accuracy count
     * @param meanLoss the batch's mean cross-entropy, 0 for an empty batch
     * @param flatGradient the gradient of every trained parameter, flattened and concatenated in
     *     {@code parameters} order, as the optimiser takes it
     */
    record Step(NDArray logits, float meanLoss, NDArray flatGradient) {
    }

    /**
     * Runs the forward pass and computes the gradient. Every array it makes should live under the
     * batch's manager ({@code x.getManager()}), which is closed after the step.
     *
     * @param model the model
     * @param parameterStore the parameter store for its forward pass
     * @param x the batch's input, on the training device; it may hold no example
     * @param y the int64 {@code (N)} labels
     * @param parameters the trained parameters, in the optimiser's order
     * @return the logits, the mean loss and the flat gradient
     */
    Step compute(SeedModel model, ParameterStore parameterStore, NDArray x, NDArray y, List<Parameter> parameters);
}
