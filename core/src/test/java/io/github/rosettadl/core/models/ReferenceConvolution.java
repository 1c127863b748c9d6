package io.github.rosettadl.core.models;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

/**
 * One 3x3, stride-1 convolution computed twice: by libtorch (forward and backward through DJL) and by
 * plain Java loops in double precision. The largest relative differences say whether the engine's
 * kernels can be trusted for that shape.
 *
 * @param batch the batch size
 * @param in the input channels
 * @param out the output channels
 * @param side the input height and width
 * @param padding 1 for "same", 0 for "valid"
 */
record ReferenceConvolution(int batch, int in, int out, int side, int padding) {

    /** Largest error, relative to the largest reference value, of the output and of each gradient. */
    record Errors(double output, double inputGradient, double weightGradient, double biasGradient) {

        /**
         * Whether every error is below the tolerance (NaN never is).
         *
         * @param tolerance the relative tolerance
         * @return true when libtorch agrees with the reference
         */
        boolean within(double tolerance) {
            return output < tolerance && inputGradient < tolerance && weightGradient < tolerance
                    && biasGradient < tolerance;
        }
    }

    /**
     * Runs the convolution with random data in both implementations and compares them.
     *
     * @param manager where the arrays live; the engine's random generator fills them
     * @return the errors
     */
    Errors compare(NDManager manager) {
        int outSide = side + 2 * padding - 2;
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(batch, in, side, side));
            NDArray w = m.randomNormal(new Shape(out, in, 3, 3)).mul(0.2);
            NDArray b = m.randomNormal(new Shape(out));
            NDArray upstream = m.randomNormal(new Shape(batch, out, outSide, outSide));
            for (NDArray leaf : new NDArray[] {x, w, b}) {
                leaf.setRequiresGradient(true);
            }
            NDArray y;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                y = Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(padding, padding), new Shape(1, 1), 1).head();
                collector.backward(y.mul(upstream).sum());
            }
            float[] xs = x.toFloatArray();
            float[] ws = w.toFloatArray();
            float[] bs = b.toFloatArray();
            float[] gs = upstream.toFloatArray();
            double[] refY = new double[gs.length];
            double[] refGx = new double[xs.length];
            double[] refGw = new double[ws.length];
            double[] refGb = new double[out];
            for (int n = 0; n < batch; n++) {
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < outSide; i++) {
                        for (int j = 0; j < outSide; j++) {
                            int yAt = ((n * out + o) * outSide + i) * outSide + j;
                            double sum = bs[o];
                            double g = gs[yAt];
                            for (int c = 0; c < in; c++) {
                                for (int ki = 0; ki < 3; ki++) {
                                    int xi = i + ki - padding;
                                    if (xi < 0 || xi >= side) {
                                        continue;
                                    }
                                    for (int kj = 0; kj < 3; kj++) {
                                        int xj = j + kj - padding;
                                        if (xj < 0 || xj >= side) {
                                            continue;
                                        }
                                        int xAt = ((n * in + c) * side + xi) * side + xj;
                                        int wAt = ((o * in + c) * 3 + ki) * 3 + kj;
                                        sum += xs[xAt] * ws[wAt];
                                        refGx[xAt] += g * ws[wAt];
                                        refGw[wAt] += g * xs[xAt];
                                    }
                                }
                            }
                            refY[yAt] = sum;
                            refGb[o] += g;
                        }
                    }
                }
            }
            return new Errors(relativeError(refY, y.toFloatArray()),
                    relativeError(refGx, x.getGradient().toFloatArray()),
                    relativeError(refGw, w.getGradient().toFloatArray()),
                    relativeError(refGb, b.getGradient().toFloatArray()));
        }
    }

    private static double relativeError(double[] reference, float[] actual) {
        double error = 0;
        double scale = 0;
        for (int i = 0; i < reference.length; i++) {
            error = Math.max(error, Math.abs(reference[i] - actual[i])); // Math.max keeps a NaN
            scale = Math.max(scale, Math.abs(reference[i]));
        }
        return error / scale;
    }

    @Override
    public String toString() {
        return batch + "x" + in + "x" + side + "x" + side + " -> " + out + " channels, padding " + padding;
    }
}
