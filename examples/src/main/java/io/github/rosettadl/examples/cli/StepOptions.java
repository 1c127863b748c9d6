package io.github.rosettadl.examples.cli;

import ai.djl.Device;

import io.github.rosettadl.core.precision.Precision;
import io.github.rosettadl.core.training.TrainingSession;

import java.util.List;

/**
 * How each training step runs, beside the hyperparameters: {@code --accumulate} and
 * {@code --precision}. Kept in {@code run.json}, so a resumed run steps as it was started.
 *
 * @param accumulate batches whose gradients are summed before one update, at least 1
 * @param precision the number type of the forward and backward passes
 */
record StepOptions(int accumulate, Precision precision) {

    /** One update per batch, in float32: what every seed does. */
    static final StepOptions DEFAULT = new StepOptions(1, Precision.FP32);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the flag when a value is out of range
     */
    StepOptions {
        PositiveChecks.require("--accumulate", accumulate);
        precision = precision == null ? Precision.FP32 : precision;
    }

    /**
     * Sets up a session: data-parallel over every device the run was given (all GPUs for
     * {@code --device gpu} or {@code auto} on a machine with several), then accumulation and precision.
     *
     * @param session the session, before it trains
     * @param devices the run's devices, the session's own first
     */
    void applyTo(TrainingSession session, List<Device> devices) {
        if (devices.size() > 1) {
            session.setDevices(devices);
        }
        if (accumulate > 1) {
            session.setAccumulation(accumulate);
        }
        if (precision != Precision.FP32) {
            session.setPrecision(precision);
        }
    }

    /**
     * The settings line of the report.
     *
     * @param devices the run's devices
     * @return for example {@code 4 batches per update, fp16, data-parallel on [gpu(0), gpu(1)]}
     */
    String describe(List<Device> devices) {
        return (accumulate == 1 ? "1 batch" : accumulate + " batches") + " per update, " + precision
                + (devices.size() > 1 ? ", data-parallel on " + devices : ", on " + devices.get(0));
    }
}
