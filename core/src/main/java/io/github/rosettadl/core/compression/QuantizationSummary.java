package io.github.rosettadl.core.compression;

/**
 * What {@link QuantizedCheckpoint#quantize} wrote, in bytes.
 *
 * @param model the model's name, for example {@code mlp}
 * @param dataset the data set it was trained on
 * @param sourceFileBytes the float32 checkpoint on disk, with its optimiser state
 * @param float32WeightBytes the weights as float32, four bytes a value: their size in the float32
 *     checkpoint and in memory once loaded (a quantized checkpoint loads into float32 too)
 * @param quantizedFileBytes the quantized checkpoint on disk, description included
 * @param int8WeightBytes the weights in their int8 form: int8 values, float32 scales, and the tensors
 *     kept in float32; what they take in memory before they are expanded
 * @param int8Tensors how many tensors are stored as int8
 * @param float32Tensors how many are kept in float32 (biases, batch norm)
 * @param largestErrorInSteps the largest |w - dequantized w| over all weights, in quantization steps
 *     of its channel; at most 0.5
 */
public record QuantizationSummary(String model, String dataset, long sourceFileBytes, long float32WeightBytes,
        long quantizedFileBytes, long int8WeightBytes, int int8Tensors, int float32Tensors,
        double largestErrorInSteps) {

    /**
     * The quantized file's size against the float32 weights it replaces.
     *
     * @return {@code quantizedFileBytes / float32WeightBytes}; about 0.25 plus the description
     */
    public double ratio() {
        return (double) quantizedFileBytes / float32WeightBytes;
    }
}
