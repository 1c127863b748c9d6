package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Takes over the layer calls of a forward pass on the current thread, for computations that need
 * each layer's input and output gradient, such as per-example gradient norms for DP-SGD. DJL blocks
 * have no forward or backward hooks; every seed model runs its layers through
 * {@link SeedModel#call}, which asks the interceptor installed here, if any.
 *
 * <pre>{@code
 * try (LayerInterceptor.Installed on = LayerInterceptor.install(myInterceptor)) {
 *     model.forward(parameterStore, new NDList(x), true);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface LayerInterceptor {

    /**
     * Runs one layer in place of {@code layer.forward}.
     *
     * @param layer the child block
     * @param parameterStore the forward pass's parameter store
     * @param x the layer's input
     * @param training whether this is a training pass
     * @return the layer's output, as the model should see it
     */
    NDArray call(Block layer, ParameterStore parameterStore, NDArray x, boolean training);

    /**
     * Routes this thread's layer calls through an interceptor until the result is closed.
     *
     * @param interceptor the interceptor
     * @return closes to remove it
     * @throws IllegalStateException when one is already installed on this thread
     */
    static Installed install(LayerInterceptor interceptor) {
        if (Installed.CURRENT.get() != null) {
            throw new IllegalStateException("A layer interceptor is already installed on this thread.");
        }
        Installed.CURRENT.set(interceptor);
        return new Installed();
    }

    /** An installed interceptor; {@link #close()} removes it. */
    final class Installed implements AutoCloseable {

        private static final ThreadLocal<LayerInterceptor> CURRENT = new ThreadLocal<>();

        private Installed() {
        }

        static LayerInterceptor current() {
            return CURRENT.get();
        }

        @Override
        public void close() {
            CURRENT.remove();
        }
    }
}
