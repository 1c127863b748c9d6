package io.github.rosettadl.core.models;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

/**
 * Prints, for a range of channel counts, how far libtorch's CPU convolution is from the plain-Java
 * reference: the measurement behind {@link BatchNormCNN}'s multiple-of-16 rule. Not a test; re-run
 * it after a DJL or libtorch upgrade:
 *
 * <pre>
 * mvn -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * java -cp core/target/test-classes:core/target/classes:$(cat core/target/test.cp) \
 *     io.github.rosettadl.core.models.ConvolutionWidthProbe 1
 * </pre>
 *
 * <p>The argument is the intra-op thread count; environment variables such as
 * {@code ONEDNN_MAX_CPU_ISA} take effect because they are read when the engine starts.
 */
final class ConvolutionWidthProbe {

    private ConvolutionWidthProbe() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(threads));
        int[] channels = {1, 2, 3, 4, 8, 12, 15, 16, 17, 20, 24, 31, 32, 33, 40, 48, 50, 64, 65, 96, 100, 128};
        System.out.println("| in | out | output | input gradient | weight gradient | bias gradient | verdict |");
        System.out.println("|---|---|---|---|---|---|---|");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            manager.getEngine().setRandomSeed(7);
            for (int in : new int[] {3, 16, 24}) {
                for (int out : channels) {
                    KernelErrors e = new ReferenceConvolution(8, in, out, 8, 1).compare(manager);
                    System.out.printf("| %d | %d | %.1e | %.1e | %.1e | %.1e | %s |%n", in, out, e.output(),
                            e.inputGradient(), e.weightGradient(), e.biasGradient(),
                            e.within(1e-4) ? "exact" : "WRONG");
                }
            }
        }
    }
}
