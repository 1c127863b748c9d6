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
 *     second moments ({@code torch.optim.Adam}'s {@code exp_avg} and {@code exp_avg_sq}), or SGD's
 *     momentum buffer (none without momentum)
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

    /**
     * The state as a checkpoint of format version 1 held it, where Adam's moments were saved divided
     * by {@code 1 - beta1} and {@code 1 - beta2}: the moments come back multiplied out, to float32
     * rounding. SGD's buffer was saved as it is.
     *
     * @param kind which optimiser the state belongs to
     * @param steps how many updates have been made
     * @param slots the saved buffers
     * @return the state with {@code torch.optim.Adam}'s moments
     */
    public static OptimizerState ofFormatVersion1(OptimizerKind kind, long steps, List<float[]> slots) {
        if (kind != OptimizerKind.ADAM || slots.size() != 2) {
            return new OptimizerState(kind, steps, slots);
        }
        return new OptimizerState(kind, steps, List.of(times(slots.get(0), 1 - FlatAdam.BETA1),
                times(slots.get(1), 1 - FlatAdam.BETA2)));
    }

    private static float[] times(float[] values, double factor) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) (values[i] * factor);
        }
        return result;
    }
}
