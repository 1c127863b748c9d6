package io.github.rosettadl.core.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * libtorch's CPU convolutions, forward and backward, against a plain-Java reference for every
 * convolution shape the shipped models and presets use (batch cut to 4). libtorch 2.7.1 gets the
 * input gradient wrong when the output channels are not a multiple of 16, which is why
 * {@link BatchNormCNN.Spec} refuses such widths; this test guards the shapes we do use, for example
 * against a DJL or libtorch upgrade. {@code ConvolutionWidthProbe} prints the whole picture.
 */
class ConvolutionKernelTest {

    static Stream<Arguments> shippedShapes() {
        return Stream.of(
                // SimpleCNN on MNIST and on CIFAR-10: conv1, conv2 (valid)
                Arguments.of("simple-cnn mnist conv1", new ReferenceConvolution(4, 1, 32, 28, 0)),
                Arguments.of("simple-cnn mnist conv2", new ReferenceConvolution(4, 32, 64, 26, 0)),
                Arguments.of("simple-cnn cifar10 conv1", new ReferenceConvolution(4, 3, 32, 32, 0)),
                // CifarCNN (Keras cifar10_cnn): same, valid, pool, same, valid
                Arguments.of("cifar-cnn conv1", new ReferenceConvolution(4, 3, 32, 32, 1)),
                Arguments.of("cifar-cnn conv2", new ReferenceConvolution(4, 32, 32, 32, 0)),
                Arguments.of("cifar-cnn conv3", new ReferenceConvolution(4, 32, 64, 15, 1)),
                Arguments.of("cifar-cnn conv4", new ReferenceConvolution(4, 64, 64, 15, 0)),
                // presets cnn-bn (MNIST, widths 32, 64) and vgg-bn (CIFAR-10, 32, 64, 128, two per stage)
                Arguments.of("cnn-bn conv2", new ReferenceConvolution(4, 32, 64, 14, 1)),
                Arguments.of("vgg-bn conv2", new ReferenceConvolution(4, 32, 32, 32, 1)),
                Arguments.of("vgg-bn conv4", new ReferenceConvolution(4, 64, 64, 16, 1)),
                Arguments.of("vgg-bn conv5", new ReferenceConvolution(4, 64, 128, 8, 1)),
                Arguments.of("vgg-bn conv6", new ReferenceConvolution(4, 128, 128, 8, 1)),
                // the narrowest width BatchNormCNN accepts
                Arguments.of("bn-cnn width 16", new ReferenceConvolution(4, 16, 16, 8, 1)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("shippedShapes")
    void libtorchMatchesThePlainJavaReference(String layer, ReferenceConvolution convolution) {
        for (int threads : new int[] {1, 2}) {
            TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(threads));
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                manager.getEngine().setRandomSeed(7);
                ReferenceConvolution.Errors errors = convolution.compare(manager);
                assertTrue(errors.within(1e-4), layer + " with " + threads + " thread(s): " + errors);
            }
        }
    }
}
