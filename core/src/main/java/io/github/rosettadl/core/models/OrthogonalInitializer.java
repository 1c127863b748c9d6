package io.github.rosettadl.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Keras's {@code Orthogonal} initialiser for recurrent kernels, which DJL lacks: a Gaussian matrix
 * made orthonormal by QR with a positive diagonal in R, which is what Gram-Schmidt computes.
 *
 * <p>DJL stores a recurrent kernel as {@code (gates * hidden, hidden)}, the transpose of Keras's
 * {@code (hidden, gates * hidden)}, so Keras's orthonormal rows are orthonormal columns here. The
 * Gaussian comes from the engine's seeded generator, so a seed fixes the result.
 */
final class OrthogonalInitializer implements Initializer {

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.dimension() != 2 || shape.get(0) < shape.get(1)) {
            throw new IllegalArgumentException("Orthogonal initialisation needs a 2-D shape with at least as many"
                    + " rows as columns, got " + shape);
        }
        int rows = Math.toIntExact(shape.get(0));
        int cols = Math.toIntExact(shape.get(1));
        float[] gaussian;
        try (NDArray normal = manager.randomNormal(0f, 1f, shape, DataType.FLOAT32, manager.getDevice())) {
            gaussian = normal.toFloatArray();
        }
        double[][] columns = new double[cols][rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                columns[c][r] = gaussian[r * cols + c];
            }
        }
        orthonormalise(columns);
        float[] result = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                result[r * cols + c] = (float) columns[c][r];
            }
        }
        return manager.create(result, shape).toType(dataType, false);
    }

    /** Modified Gram-Schmidt, in place: each column loses its projections on the ones before it. */
    private static void orthonormalise(double[][] columns) {
        for (int c = 0; c < columns.length; c++) {
            double[] v = columns[c];
            for (int p = 0; p < c; p++) {
                double[] q = columns[p];
                double dot = 0;
                for (int i = 0; i < v.length; i++) {
                    dot += q[i] * v[i];
                }
                for (int i = 0; i < v.length; i++) {
                    v[i] -= dot * q[i];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
    }
}
