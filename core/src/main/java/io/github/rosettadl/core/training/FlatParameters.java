package io.github.rosettadl.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.List;

/**
 * All trainable parameters as views of one flat buffer, so the optimiser updates every parameter
 * with one set of libtorch ops instead of one set per parameter (the MLP and SimpleCNN each have one
 * large weight matrix and five small tensors, whose per-op overhead would otherwise dominate).
 *
 * <p>Before each forward pass, {@link #bind} detaches a fresh leaf from {@link #values()} (same
 * storage), splits it into one view per parameter and re-points ({@link NDArray#intern}) each
 * parameter's array at its view. Backward then delivers the whole gradient as one flat tensor on the
 * fresh leaf: the split's backward concatenates the parts, and libtorch hands that new tensor over
 * instead of adding it into an old gradient. Compared with persistent per-parameter gradients this
 * saves a zeroing pass, an accumulating pass and a concatenating pass over the parameters per step,
 * as PyTorch's {@code zero_grad(set_to_none=True)} does.
 */
final class FlatParameters implements AutoCloseable {

    private final NDManager manager;
    private final List<NDArray> parameters;
    private final long[] sizes;
    private final NDArray values;

    /**
     * Copies the given parameter arrays into one flat buffer and points them at it. Call with grad
     * mode off.
     *
     * @param parameters the parameter arrays, in a fixed order
     * @param parent the manager the flat buffer lives under
     */
    FlatParameters(List<NDArray> parameters, NDManager parent) {
        this.parameters = List.copyOf(parameters);
        manager = parent.newSubManager();
        sizes = new long[parameters.size()];
        try (NDList flattened = new NDList()) {
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = parameters.get(i).size();
                flattened.add(parameters.get(i).reshape(-1));
            }
            values = NDArrays.concat(flattened);
            values.attach(manager);
        }
        pointAtValues();
    }

    /**
     * Points every parameter at its view of {@link #values()} again, after a step bound them to a
     * float16 copy, so that evaluation and checkpoints read the float32 values.
     */
    void pointAtValues() {
        long offset = 0;
        for (NDArray p : parameters) {
            long n = p.size();
            try (NDArray slice = values.get(new NDIndex().addSliceDim(offset, offset + n));
                    NDArray view = slice.reshape(p.getShape())) {
                p.intern(view.stopGradient());
            }
            offset += n;
        }
    }

    /**
     * Points every parameter at a view of a fresh leaf over the flat buffer, for one training step.
     * Call with grad mode on (inside a gradient collector).
     *
     * @param step the step's manager, which will own and close the leaf
     * @return the leaf whose gradient, after backward, is the flat gradient of every parameter
     */
    NDArray bind(NDManager step) {
        NDArray leaf = values.stopGradient();
        leaf.attach(step);
        leaf.setRequiresGradient(true);
        NDList parts = JniUtils.split((PtNDArray) leaf, sizes, 0);
        for (int i = 0; i < sizes.length; i++) {
            intern(parameters.get(i), parts.get(i));
        }
        return leaf;
    }

    /**
     * Points every parameter at a view of a fresh leaf holding the flat buffer in another type: a
     * float16 copy for mixed precision, whose gradient then arrives in float16 too. Parameters marked
     * in {@code keepFloat32} see their part promoted back to float32 (a product with the float32
     * {@code one}, which autograd differentiates), for layers whose kernels take float32 weights
     * beside float16 input, as batch norm's do. Call with grad mode on.
     *
     * @param step the step's manager, which will own and close the leaf
     * @param type the type the forward pass computes in
     * @param keepFloat32 per parameter, whether it stays float32
     * @param one a float32 one of shape (1) on this buffer's device
     * @return the leaf whose gradient, after backward, is the flat gradient of every parameter
     */
    NDArray bind(NDManager step, DataType type, boolean[] keepFloat32, NDArray one) {
        if (type == values.getDataType()) {
            return bind(step);
        }
        NDArray leaf = values.toType(type, true);
        leaf.attach(step);
        leaf.setRequiresGradient(true);
        NDList parts = JniUtils.split((PtNDArray) leaf, sizes, 0);
        for (int i = 0; i < sizes.length; i++) {
            NDArray part = keepFloat32[i] ? parts.get(i).mul(one) : parts.get(i);
            intern(parameters.get(i), part);
        }
        return leaf;
    }

    private static void intern(NDArray p, NDArray part) {
        Shape shape = p.getShape();
        if (shape.dimension() == 1) {
            p.intern(part);
        } else {
            try (part) {
                p.intern(part.reshape(shape));
            }
        }
    }

    /**
     * The flat buffer every parameter is a view of.
     *
     * @return the values, in parameter order
     */
    NDArray values() {
        return values;
    }

    /**
     * The manager the buffer lives under, for optimiser state on the same device.
     *
     * @return the manager
     */
    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
