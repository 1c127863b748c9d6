package io.github.rosettadl.core.training;

import ai.djl.ndarray.NDArray;

/**
 * A rule the trained parameters keep through every optimiser step, for example a pruning mask
 * that holds removed weights at zero. Both methods get one flat vector over every trained
 * parameter, in {@link io.github.rosettadl.core.models.SeedModel#trainedParameters()} order (the
 * order of {@link OptimizerState#slots()}), and change it in place.
 *
 * <p>PyTorch has no such hook in its loop; {@code torch.nn.utils.prune} instead recomputes
 * {@code weight = weight_orig * weight_mask} before every forward pass. Here the rule runs on the
 * flat buffer the optimiser updates, so it costs one pass over the parameters per step.
 */
public interface ParameterConstraint {

    /** No constraint: the session's default. */
    ParameterConstraint NONE = new ParameterConstraint() {
        @Override
        public void constrainGradients(NDArray gradients) {
        }

        @Override
        public void constrainParameters(NDArray parameters) {
        }
    };

    /**
     * Called with the step's gradient before the optimiser sees it, so that the optimiser's state
     * (Adam's moments) learns nothing about values the constraint fixes.
     *
     * @param gradients the flat gradient, changed in place
     */
    void constrainGradients(NDArray gradients);

    /**
     * Called after every optimiser update, and once when the constraint is set.
     *
     * @param parameters the flat parameters, changed in place
     */
    void constrainParameters(NDArray parameters);
}
