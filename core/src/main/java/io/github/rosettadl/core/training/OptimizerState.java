package io.github.rosettadl.core.training;

import java.util.List;
import java.util.Objects;

/**
 * The optimiser's memory, so that a resumed run takes the same steps as an uninterrupted one. DJL's
 * own optimisers keep this state private and cannot save it, so the loop uses its own.
 *
 * @param kind which optimiser the state belongs to
 * @param steps how many updates have been made (Adam's bias correction depends on it)
 * @param slots per-parameter buffers over the flattened parameters, in
 *     {@link io.github.rosettadl.core.models.SeedModel#namedParameters()} order: Adam's first and
 *     second moments, or SGD's momentum buffer (none without momentum)
 */
public record OptimizerState(OptimizerKind kind, long steps, List<float[]> slots) {

    /**
     * Checks and copies the slot list.
     *
     * @throws IllegalArgumentException when the step count is negative
     */
    public OptimizerState {
        Objects.requireNonNull(kind, "kind");
        if (steps < 0) {
            throw new IllegalArgumentException("Optimizer steps cannot be negative, got " + steps + ".");
        }
        slots = List.copyOf(slots);
    }
}
