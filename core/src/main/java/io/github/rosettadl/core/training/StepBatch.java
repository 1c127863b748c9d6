package io.github.rosettadl.core.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.Batch;

/**
 * One batch's input and labels on the training device. Every array a step derives from them joins
 * their manager (libtorch results join their first operand's), which is the batch's own, so closing
 * the batch frees the whole step.
 *
 * @param x the input, on the training device
 * @param y the labels as int64 {@code (N)}
 * @param manager the batch's manager, closed with the batch
 */
record StepBatch(NDArray x, NDArray y, NDManager manager) {

    /**
     * Reads a batch.
     *
     * @param batch the batch, which must own a sub-manager of {@code sourceManager}
     * @param sourceManager the manager the data source was given
     * @param device the training device
     * @return the batch's arrays
     * @throws IllegalStateException when the batch has no manager of its own
     */
    static StepBatch of(Batch batch, NDManager sourceManager, Device device) {
        NDManager manager = batch.getManager();
        if (manager == sourceManager) {
            throw new IllegalStateException("A batch must own a sub-manager of the manager its source was given"
                    + " (closing the batch closes its manager); this one uses the source's manager itself.");
        }
        NDArray x = batch.getData().head();
        NDArray y = batch.getLabels().head();
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
        return new StepBatch(x, y, manager);
    }

    long size() {
        return y.size();
    }
}
