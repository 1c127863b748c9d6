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
 * libtorch's CPU kernels, forward and backward, against a plain-Java reference for every convolution
 * and dense-layer shape the shipped models and presets use (batch cut to 4), with 1 and 2 threads.
 * libtorch 2.7.1 gets a convolution's input gradient wrong when its output channels are not a
 * multiple of 16, which is why {@link BatchNormCNN.Spec} refuses such widths; this test guards the
 * shapes we do use, for example across a DJL or libtorch upgrade. {@code ConvolutionWidthProbe}
 * prints the whole picture.
 */
class EngineKernelTest {

    static Stream<Arguments> convolutions() {
        return Stream.of(
                Arguments.of("simple-cnn conv1, MNIST", new ReferenceConvolution(4, 1, 32, 28, 1)),
                Arguments.of("simple-cnn conv1, CIFAR-10", new ReferenceConvolution(4, 3, 32, 32, 1)),
                Arguments.of("cifar-cnn conv2d", new ReferenceConvolution(4, 3, 32, 32, 0)),
                Arguments.of("cifar-cnn conv2d_1", new ReferenceConvolution(4, 32, 64, 15, 0)),
                Arguments.of("cifar-cnn conv2d_2", new ReferenceConvolution(4, 64, 64, 6, 0)),
                Arguments.of("cnn-bn conv2", new ReferenceConvolution(4, 32, 64, 14, 1)),
                Arguments.of("vgg-bn conv2", new ReferenceConvolution(4, 32, 32, 32, 1)),
                Arguments.of("vgg-bn conv3", new ReferenceConvolution(4, 32, 64, 16, 1)),
                Arguments.of("vgg-bn conv4", new ReferenceConvolution(4, 64, 64, 16, 1)),
                Arguments.of("vgg-bn conv5", new ReferenceConvolution(4, 64, 128, 8, 1)),
                Arguments.of("vgg-bn conv6", new ReferenceConvolution(4, 128, 128, 8, 1)),
                Arguments.of("bn-cnn at its narrowest width, 16", new ReferenceConvolution(4, 16, 16, 8, 1)));
    }

    static Stream<Arguments> denseLayers() {
        return Stream.of(
                Arguments.of("softmax-regression dense, MNIST", new ReferenceLinear(4, 784, 10)),
                Arguments.of("mlp dense", new ReferenceLinear(4, 784, 128)),
                Arguments.of("mlp-dropout dense_1", new ReferenceLinear(4, 512, 512)),
                Arguments.of("simple-cnn fc1, MNIST", new ReferenceLinear(4, 32 * 14 * 14, 128)),
                Arguments.of("simple-cnn fc2", new ReferenceLinear(4, 128, 10)),
                Arguments.of("cifar-cnn dense", new ReferenceLinear(4, 64 * 4 * 4, 64)),
                Arguments.of("cifar-cnn dense_1", new ReferenceLinear(4, 64, 10)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("convolutions")
    void convolutionsMatchThePlainJavaReference(String layer, ReferenceConvolution convolution) {
        assertMatchesWithOneAndTwoThreads(layer, convolution);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("denseLayers")
    void denseLayersMatchThePlainJavaReference(String layer, ReferenceLinear dense) {
        assertMatchesWithOneAndTwoThreads(layer, dense);
    }

    private static void assertMatchesWithOneAndTwoThreads(String layer, ReferenceLayer reference) {
        for (int threads : new int[] {1, 2}) {
            TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(threads));
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                manager.getEngine().setRandomSeed(7);
                KernelErrors errors = reference.compare(manager);
                assertTrue(errors.within(1e-4), layer + " with " + threads + " thread(s): " + errors);
            }
        }
    }
}
