package io.github.rosettadl.core.training;

import ai.djl.ndarray.NDArray;

/**
 * Adam with PyTorch's update rule ({@code torch.optim.Adam}, no weight decay):
 *
 * <pre>{@code
 * m = b1 * m + (1 - b1) * g;  v = b2 * v + (1 - b2) * g^2
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * }</pre>
 *
 * <p>The step is memory-bound (the MLP has 0.1 M and the SimpleCNN 0.8 M parameters), so what counts
 * is passes over the parameter-sized buffers. Where the engine has it, the step is libtorch's fused
 * kernel ({@link FusedAdamKernel}), one pass, as {@code torch.optim.Adam(fused=True)}. Otherwise it
 * is written as tensor ops, twelve passes, with every scalar folded into one divisor:
 * {@code p -= m / ((sqrt(v) + eps') / s)} with {@code eps' = eps sqrt(1 - b2^t)} and
 * {@code s = lr sqrt(1 - b2^t) / (1 - b1^t)}, the same value up to float rounding. Either way the
 * state is PyTorch's: {@code exp_avg} and {@code exp_avg_sq}, and the step count.
 */
final class FlatAdam extends FlatOptimizer {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;

    private final double epsilon;
    private final NDArray expAvg;
    private final NDArray expAvgSq;
    private final FusedAdamKernel fused;
    private final NDArray beta1;
    private final NDArray beta2;
    private final NDArray oneMinusBeta1;
    private final NDArray oneMinusBeta2;

    /**
     * Adam with the fused kernel where the engine has it.
     *
     * @param parameters the parameters to update
     * @param learningRate the learning rate
     * @param epsilon added to the denominator
     */
    FlatAdam(FlatParameters parameters, float learningRate, float epsilon) {
        this(parameters, learningRate, epsilon, true);
    }

    /**
     * Adam with the fused kernel or without it.
     *
     * @param parameters the parameters to update
     * @param learningRate the learning rate
     * @param epsilon added to the denominator
     * @param tryFused whether to use the fused kernel where the engine has it
     */
    FlatAdam(FlatParameters parameters, float learningRate, float epsilon, boolean tryFused) {
        super(parameters, learningRate);
        this.epsilon = epsilon;
        expAvg = newSlot();
        expAvgSq = newSlot();
        fused = tryFused ? FusedAdamKernel.load(manager, parameters.values(), expAvg, expAvgSq, BETA1, BETA2, epsilon)
                : null;
        beta1 = constant(BETA1);
        beta2 = constant(BETA2);
        oneMinusBeta1 = constant(1 - BETA1);
        oneMinusBeta2 = constant(1 - BETA2);
    }

    /**
     * Whether the steps run in libtorch's fused kernel.
     *
     * @return true for the fused kernel, false for separate tensor ops
     */
    boolean isFused() {
        return fused != null;
    }

    @Override
    protected void update(NDArray g) {
        if (fused != null) {
            try (NDArray step = constant(steps)) {
                fused.step(g, step, learningRate);
            }
            return;
        }
        double sqrtCorrection2 = Math.sqrt(1 - Math.pow(BETA2, steps));
        double stepSize = learningRate * sqrtCorrection2 / (1 - Math.pow(BETA1, steps));
        expAvgSq.muli(beta2);
        try (NDArray squared = g.mul(g)) {
            expAvgSq.addi(squared.muli(oneMinusBeta2));
        }
        expAvg.muli(beta1).addi(g.muli(oneMinusBeta1));
        try (NDArray epsilonHat = constant(epsilon * sqrtCorrection2);
                NDArray inverseStep = constant(1 / stepSize);
                NDArray divisor = expAvgSq.sqrt()) {
            divisor.addi(epsilonHat).muli(inverseStep);
            try (NDArray update = expAvg.div(divisor)) {
                parameters.values().subi(update);
            }
        }
    }

    @Override
    OptimizerKind kind() {
        return OptimizerKind.ADAM;
    }
}
