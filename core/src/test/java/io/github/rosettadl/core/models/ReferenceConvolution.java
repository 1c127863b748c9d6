package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * A 3x3, stride-1 convolution, in libtorch and in plain Java.
 *
 * @param batch the batch size
 * @param in the input channels
 * @param out the output channels
 * @param side the input height and width
 * @param padding 1 for "same", 0 for "valid"
 */
record ReferenceConvolution(int batch, int in, int out, int side, int padding) implements ReferenceLayer {

    private int outSide() {
        return side + 2 * padding - 2;
    }

    @Override
    public Shape inputShape() {
        return new Shape(batch, in, side, side);
    }

    @Override
    public Shape weightShape() {
        return new Shape(out, in, 3, 3);
    }

    @Override
    public Shape outputShape() {
        return new Shape(batch, out, outSide(), outSide());
    }

    @Override
    public float weightScale() {
        return 0.2f;
    }

    @Override
    public NDArray libtorch(NDArray x, NDArray weight, NDArray bias) {
        return Conv2d.conv2d(x, weight, bias, new Shape(1, 1), new Shape(padding, padding), new Shape(1, 1), 1)
                .head();
    }

    @Override
    public void reference(float[] x, float[] w, float[] b, float[] g, double[] y, double[] gx, double[] gw,
            double[] gb) {
        int outSide = outSide();
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < outSide; i++) {
                    for (int j = 0; j < outSide; j++) {
                        int yAt = ((n * out + o) * outSide + i) * outSide + j;
                        double sum = b[o];
                        double up = g[yAt];
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
                                    sum += x[xAt] * w[wAt];
                                    gx[xAt] += up * w[wAt];
                                    gw[wAt] += up * x[xAt];
                                }
                            }
                        }
                        y[yAt] = sum;
                        gb[o] += up;
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return batch + "x" + in + "x" + side + "x" + side + " -> " + out + " channels, padding " + padding;
    }
}
