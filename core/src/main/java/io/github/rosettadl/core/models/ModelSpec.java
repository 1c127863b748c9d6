package io.github.rosettadl.core.models;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.rosettadl.core.runtime.TorchRuntime;

import java.util.List;

/**
 * Everything needed to rebuild a model: its name and its constructor arguments. A checkpoint stores
 * the spec as JSON, and loading builds the same architecture from it before reading the weights.
 */
public sealed interface ModelSpec permits ImageModelSpec, CharRnn.Spec {

    /** Every model's name, as {@link #modelName()} gives it. */
    List<String> NAMES = List.of("softmax-regression", "mlp", "simple-cnn", "cifar-cnn", "rnn", "char-rnn",
            "mlp-dropout", "bn-cnn", "tanh-cnn");

    /**
     * The spec type of a model name, for reading a spec back from JSON.
     *
     * @param modelName one of {@link #NAMES}
     * @return the record class of that model's spec
     * @throws IllegalArgumentException naming the value and the valid names
     */
    static Class<? extends ModelSpec> typeOf(String modelName) {
        switch (String.valueOf(modelName)) {
            case "softmax-regression":
                return SoftmaxRegression.Spec.class;
            case "mlp":
                return Mlp.Spec.class;
            case "simple-cnn":
                return SimpleCNN.Spec.class;
            case "cifar-cnn":
                return CifarCNN.Spec.class;
            case "rnn":
                return RnnClassifier.Spec.class;
            case "char-rnn":
                return CharRnn.Spec.class;
            case "mlp-dropout":
                return DropoutMlp.Spec.class;
            case "bn-cnn":
                return BatchNormCNN.Spec.class;
            case "tanh-cnn":
                return TanhCNN.Spec.class;
            default:
                throw new IllegalArgumentException("Unknown model '" + modelName + "'. Valid: "
                        + String.join(", ", NAMES) + ".");
        }
    }

    /**
     * The model's name on the command line and in checkpoints.
     *
     * @return for example {@code simple-cnn}
     */
    String modelName();

    /**
     * The shape of one input example, without the batch axis.
     *
     * @return {@code (C, H, W)} for images, {@code (T)} for character windows (which may also be
     *     shorter or longer)
     */
    Shape exampleShape();

    /**
     * The data type of the input.
     *
     * @return float32 for pixels, int64 for character indices
     */
    DataType inputType();

    /**
     * The number of output logits: classes, or the vocabulary size.
     *
     * @return the output width
     */
    int outputs();

    /**
     * A new, uninitialised block of this architecture.
     *
     * @return the block
     */
    SeedModel newBlock();

    /**
     * A new DJL model holding this architecture, initialised from the engine's random generator:
     * seed the engine first ({@code Engine.getEngine("PyTorch").setRandomSeed(seed)}) for
     * reproducible weights.
     *
     * @param device where the parameters live
     * @return the model; the caller closes it
     */
    default Model newModel(Device device) {
        Model model = Model.newInstance(modelName(), device, TorchRuntime.ENGINE_NAME);
        try {
            SeedModel block = newBlock();
            model.setBlock(block);
            // the data type here is the parameters' type, float32 even for int64 character input
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(exampleShape()));
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
