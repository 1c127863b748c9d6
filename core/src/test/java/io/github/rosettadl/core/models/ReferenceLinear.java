package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * A dense layer, in libtorch and in plain Java.
 *
 * @param batch the batch size
 * @param in the input features
 * @param out the output units
 */
record ReferenceLinear(int batch, int in, int out) implements ReferenceLayer {

    @Override
    public Shape inputShape() {
        return new Shape(batch, in);
    }

    @Override
    public Shape weightShape() {
        return new Shape(out, in);
    }

    @Override
    public Shape outputShape() {
        return new Shape(batch, out);
    }

    @Override
    public float weightScale() {
        return 0.05f;
    }

    @Override
    public NDArray libtorch(NDArray x, NDArray weight, NDArray bias) {
        return Linear.linear(x, weight, bias).head();
    }

    @Override
    public void reference(float[] x, float[] w, float[] b, float[] g, double[] y, double[] gx, double[] gw,
            double[] gb) {
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                double sum = b[o];
                double up = g[n * out + o];
                for (int i = 0; i < in; i++) {
                    sum += x[n * in + i] * w[o * in + i];
                    gx[n * in + i] += up * w[o * in + i];
                    gw[o * in + i] += up * x[n * in + i];
                }
                y[n * out + o] = sum;
                gb[o] += up;
            }
        }
    }

    @Override
    public String toString() {
        return batch + "x" + in + " -> " + out + " units";
    }
}
