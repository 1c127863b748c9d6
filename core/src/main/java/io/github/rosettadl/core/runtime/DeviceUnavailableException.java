package io.github.rosettadl.core.runtime;

/**
 * A GPU was requested that the PyTorch engine cannot use. The message says why and how to get
 * CUDA natives, because the CUDA build of libtorch is not on Maven Central.
 */
public final class DeviceUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final String HOW_TO_GET_CUDA =
            "DJL's PyTorch engine sees GPUs only with CUDA natives, which are not on Maven Central:"
                    + " either let DJL download them at run time (online, without the pytorch-native-cpu jar"
                    + " on the classpath and without DJL_OFFLINE=true), or set PYTORCH_LIBRARY_PATH to an"
                    + " unpacked libtorch 2.7.1 cu128 (with PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR=cu128)."
                    + " Use --device cpu or --device auto to train on the CPU.";

    private DeviceUnavailableException(String message) {
        super(message);
    }

    static DeviceUnavailableException noGpu(String requested) {
        return new DeviceUnavailableException(
                "Device '" + requested + "' was requested, but the PyTorch engine reports no GPU"
                        + " (CPU-only natives or no CUDA driver). " + HOW_TO_GET_CUDA);
    }

    static DeviceUnavailableException noSuchGpu(String requested, int gpuCount) {
        return new DeviceUnavailableException(
                "Device '" + requested + "' was requested, but the PyTorch engine reports only "
                        + gpuCount + " GPU(s), numbered 0 to " + (gpuCount - 1) + ".");
    }
}
