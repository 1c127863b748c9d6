package io.github.rosettadl.core.models;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * A layer with a weight and a bias, computed twice: by libtorch (forward and backward through DJL)
 * and by plain Java loops in double precision, on the same random data.
 */
interface ReferenceLayer {

    Shape inputShape();

    Shape weightShape();

    Shape outputShape();

    /** The weights' standard deviation, small enough to keep outputs near 1. */
    float weightScale();

    NDArray libtorch(NDArray x, NDArray weight, NDArray bias);

    /**
     * Fills the output and the three gradients for an upstream gradient {@code g}; the gradient
     * arrays start at zero.
     */
    void reference(float[] x, float[] weight, float[] bias, float[] g, double[] y, double[] gx, double[] gw,
            double[] gb);

    /**
     * Runs both implementations and compares them.
     *
     * @param manager where the arrays live; the engine's random generator fills them
     * @return the errors
     */
    default KernelErrors compare(NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(inputShape());
            NDArray w = m.randomNormal(weightShape()).mul(weightScale());
            NDArray b = m.randomNormal(new Shape(weightShape().get(0)));
            NDArray upstream = m.randomNormal(outputShape());
            for (NDArray leaf : new NDArray[] {x, w, b}) {
                leaf.setRequiresGradient(true);
            }
            NDArray y;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                y = libtorch(x, w, b);
                collector.backward(y.mul(upstream).sum());
            }
            float[] xs = x.toFloatArray();
            float[] ws = w.toFloatArray();
            float[] bs = b.toFloatArray();
            double[] refY = new double[Math.toIntExact(outputShape().size())];
            double[] refGx = new double[xs.length];
            double[] refGw = new double[ws.length];
            double[] refGb = new double[bs.length];
            reference(xs, ws, bs, upstream.toFloatArray(), refY, refGx, refGw, refGb);
            return new KernelErrors(KernelErrors.relative(refY, y.toFloatArray()),
                    KernelErrors.relative(refGx, x.getGradient().toFloatArray()),
                    KernelErrors.relative(refGw, w.getGradient().toFloatArray()),
                    KernelErrors.relative(refGb, b.getGradient().toFloatArray()));
        }
    }
}
