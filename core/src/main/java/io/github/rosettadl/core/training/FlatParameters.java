package io.github.rosettadl.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.List;

/**
 * All trainable parameters as views of one flat buffer, so the optimiser updates every parameter
 * with one set of libtorch ops instead of one set per parameter (measured: 20 instead of 56 ops per
 * Adam step on the MLP, see {@link TrainingSession}).
 *
 * <p>Each parameter's array is re-pointed ({@link NDArray#intern}) at a leaf tensor that shares its
 * storage with a slice of {@link #values()}, so the model reads, and the optimiser writes, the same
 * memory. Gradients stay per parameter (libtorch allocates them); {@link #gradients()} concatenates
 * them in one op through views cached after the first backward pass, which stay valid because
 * libtorch accumulates into an existing gradient in place and zeroing keeps the tensor.
 */
final class FlatParameters implements AutoCloseable {

    private final NDManager manager;
    private final List<NDArray> parameters;
    private final NDArray values;
    private NDList gradientViews;

    /**
     * Moves the given parameter arrays into one flat buffer. Call with grad mode off.
     *
     * @param parameters the parameter arrays, in a fixed order
     * @param parent the manager the flat buffer lives under
     */
    FlatParameters(List<NDArray> parameters, NDManager parent) {
        this.parameters = List.copyOf(parameters);
        manager = parent.newSubManager();
        try (NDList flattened = new NDList()) {
            for (NDArray p : parameters) {
                flattened.add(p.reshape(-1));
            }
            values = NDArrays.concat(flattened);
            values.attach(manager);
        }
        long offset = 0;
        for (NDArray p : parameters) {
            long n = p.size();
            try (NDArray slice = values.get(new NDIndex().addSliceDim(offset, offset + n));
                    NDArray view = slice.reshape(p.getShape())) {
                NDArray leaf = view.stopGradient();
                leaf.setRequiresGradient(true);
                p.intern(leaf);
            }
            offset += n;
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

    /**
     * Every parameter's gradient, concatenated in parameter order. Valid after a backward pass.
     *
     * @return a new flat array the caller owns and closes
     */
    NDArray gradients() {
        if (gradientViews == null) {
            NDList views = new NDList(parameters.size());
            for (NDArray p : parameters) {
                try (NDArray gradient = p.getGradient()) {
                    NDArray view = gradient.reshape(-1);
                    view.attach(manager);
                    views.add(view);
                }
            }
            gradientViews = views;
        }
        return NDArrays.concat(gradientViews);
    }

    /** Zeroes every gradient in place, as {@code optimizer.zero_grad(set_to_none=False)} does. */
    void zeroGradients() {
        for (NDArray p : parameters) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
