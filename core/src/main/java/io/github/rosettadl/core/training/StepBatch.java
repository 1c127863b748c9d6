package io.github.rosettadl.core.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.Batch;

/**
 * One batch's input and labels, moved under a per-step manager so that every array a step derives
 * from them (libtorch results join their first operand's manager) is freed when the step ends,
 * whatever manager the data source used.
 *
 * @param x the input, on the training device
 * @param y the labels as int64 {@code (N)}
 */
record StepBatch(NDArray x, NDArray y) {

    static StepBatch of(Batch batch, NDManager step, Device device) {
        NDArray x = batch.getData().head();
        NDArray y = batch.getLabels().head();
        x.attach(step);
        y.attach(step);
        if (!x.getDevice().equals(device)) {
            x = x.toDevice(device, false);
        }
        if (!y.getDevice().equals(device)) {
            y = y.toDevice(device, false);
        }
        if (y.getDataType() != DataType.INT64) {
            y = y.toType(DataType.INT64, false);
        }
        if (y.getShape().dimension() != 1) {
            y = y.reshape(-1);
        }
        return new StepBatch(x, y);
    }

    long size() {
        return y.size();
    }
}
