package io.github.rosettadl.core.models;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** The spec of an image classifier: NCHW float32 pixels in, one logit per class out. */
public sealed interface ImageModelSpec extends ModelSpec
        permits SoftmaxRegression.Spec, Mlp.Spec, SimpleCNN.Spec, CifarCNN.Spec, RnnClassifier.Spec,
        DropoutMlp.Spec, BatchNormCNN.Spec, TanhCNN.Spec {

    /**
     * The image shape the model takes.
     *
     * @return channels, height and width
     */
    ImageShape input();

    /**
     * The number of classes.
     *
     * @return the output width
     */
    int classes();

    @Override
    default Shape exampleShape() {
        return new Shape(input().channels(), input().height(), input().width());
    }

    @Override
    default DataType inputType() {
        return DataType.FLOAT32;
    }

    @Override
    default int outputs() {
        return classes();
    }

    /**
     * Checks the class count shared by every image model.
     *
     * @param classes the class count to check
     * @throws IllegalArgumentException when there are fewer than 2 classes
     */
    static void checkClasses(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("A classifier needs at least 2 classes, got " + classes + ".");
        }
    }

    /**
     * Checks a dropout rate shared by the models that drop activations in training.
     *
     * @param rate the fraction dropped
     * @throws IllegalArgumentException when the rate is outside [0, 1)
     */
    static void checkDropoutRate(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("The dropout rate must be in [0, 1), got " + rate + ".");
        }
    }
}
