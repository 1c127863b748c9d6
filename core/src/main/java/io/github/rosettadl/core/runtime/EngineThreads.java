package io.github.rosettadl.core.runtime;

/**
 * libtorch's two thread pools: intra-op (one operator split across threads) and inter-op
 * (independent operators run side by side).
 *
 * <p>The defaults come from measurement on a 2-core machine (see docs/PERFORMANCE.md): DJL's own
 * default of 2 inter-op threads only adds scheduling cost to the small eager models here, so
 * inter-op defaults to 1, and intra-op to every available core.
 *
 * @param intraOp threads within one operator, at least 1
 * @param interOp threads across operators, at least 1
 */
public record EngineThreads(int intraOp, int interOp) {

    /** The system property DJL reads for the intra-op pool before the engine starts. */
    public static final String INTRA_OP_PROPERTY = "ai.djl.pytorch.num_threads";
    /** The system property DJL reads for the inter-op pool before the engine starts. */
    public static final String INTER_OP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    /**
     * Checks both counts.
     *
     * @throws IllegalArgumentException when a count is below 1
     */
    public EngineThreads {
        if (intraOp < 1 || interOp < 1) {
            throw new IllegalArgumentException("Thread counts must be at least 1, got intra-op "
                    + intraOp + " and inter-op " + interOp + ".");
        }
    }

    /**
     * The measured defaults: all cores within an operator, one inter-op thread.
     *
     * @return the default thread counts for the machine this runs on
     */
    public static EngineThreads defaults() {
        return new EngineThreads(Runtime.getRuntime().availableProcessors(), 1);
    }

    /**
     * Whether there are more intra-op threads than cores. libtorch's threads then take turns on the
     * cores and every operator waits for the last of them to be scheduled, which can make the small
     * models here many times slower than with one thread per core.
     *
     * @param cores the cores available, as {@link Runtime#availableProcessors()} counts them
     * @return true when {@code intraOp > cores}
     */
    public boolean exceedsCores(int cores) {
        return intraOp > cores;
    }

    /**
     * {@code n} intra-op threads and one inter-op thread, as a {@code --threads n} flag means.
     *
     * @param n the intra-op thread count, at least 1
     * @return the thread counts
     */
    public static EngineThreads of(int n) {
        return new EngineThreads(n, 1);
    }

    /**
     * A model's measured default: one intra-op thread for the MLP, whose forty or so small operators
     * per step lose more to thread hand-offs than they gain (docs/PERFORMANCE.md); {@link #defaults()}
     * for every other model.
     *
     * @param modelName the model's name, as {@code ModelSpec.modelName()} gives it
     * @return the thread counts
     */
    public static EngineThreads defaultsFor(String modelName) {
        return "mlp".equals(modelName) ? of(1) : defaults();
    }
}
