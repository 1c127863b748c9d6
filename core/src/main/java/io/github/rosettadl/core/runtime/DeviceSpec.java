package io.github.rosettadl.core.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed {@code --device} value: {@code auto}, {@code cpu}, {@code gpu} (all GPUs) or
 * {@code gpu:N}, resolved against what the PyTorch engine actually reports.
 *
 * <p>DJL alone accepts {@code Device.gpu()} on a CPU-only machine and fails only at the first
 * array with an unrelated native error, so {@link #resolve(int)} checks the request up front.
 *
 * @param kind what was asked for
 * @param index the GPU index for {@link Kind#GPU_INDEX}, otherwise -1
 */
public record DeviceSpec(Kind kind, int index) {

    /** The valid forms, as shown in error messages and help texts. */
    public static final String VALID_FORMS = "auto, cpu, gpu, gpu:N (N = 0, 1, ...)";

    /** What a device request asks for. */
    public enum Kind {
        /** The GPUs if the engine reports any, else the CPU. */
        AUTO,
        /** The CPU. */
        CPU,
        /** Every GPU the engine reports. */
        GPU_ALL,
        /** One GPU by index. */
        GPU_INDEX
    }

    /**
     * Parses a device value.
     *
     * @param value the text given by the user, case-insensitive
     * @return the parsed request
     * @throws IllegalArgumentException naming the value and the valid forms when it cannot be parsed
     */
    public static DeviceSpec parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "auto":
                return new DeviceSpec(Kind.AUTO, -1);
            case "cpu":
                return new DeviceSpec(Kind.CPU, -1);
            case "gpu":
            case "cuda":
                return new DeviceSpec(Kind.GPU_ALL, -1);
            default:
                break;
        }
        if (v.startsWith("gpu:") || v.startsWith("cuda:")) {
            String digits = v.substring(v.indexOf(':') + 1);
            if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit) && digits.length() < 4) {
                return new DeviceSpec(Kind.GPU_INDEX, Integer.parseInt(digits));
            }
        }
        throw new IllegalArgumentException(
                "Invalid device '" + value + "'. Valid forms: " + VALID_FORMS + ".");
    }

    /**
     * Resolves this request against the GPUs the given engine reports.
     *
     * @param engine the engine whose GPU count decides
     * @return the devices to train on, never empty
     * @throws DeviceUnavailableException when a GPU is requested that the engine cannot use
     */
    public List<Device> resolve(Engine engine) {
        return resolve(engine.getGpuCount());
    }

    /**
     * Resolves this request against a known GPU count.
     *
     * @param gpuCount how many GPUs the engine can use
     * @return the devices to train on, never empty
     * @throws DeviceUnavailableException when a GPU is requested that is not there
     */
    public List<Device> resolve(int gpuCount) {
        switch (kind) {
            case CPU:
                return List.of(Device.cpu());
            case AUTO:
                return gpuCount > 0 ? allGpus(gpuCount) : List.of(Device.cpu());
            case GPU_ALL:
                if (gpuCount == 0) {
                    throw DeviceUnavailableException.noGpu(toString());
                }
                return allGpus(gpuCount);
            case GPU_INDEX:
                if (index >= gpuCount) {
                    throw gpuCount == 0
                            ? DeviceUnavailableException.noGpu(toString())
                            : DeviceUnavailableException.noSuchGpu(toString(), gpuCount);
                }
                return List.of(Device.gpu(index));
            default:
                throw new AssertionError(kind);
        }
    }

    private static List<Device> allGpus(int count) {
        List<Device> devices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            devices.add(Device.gpu(i));
        }
        return List.copyOf(devices);
    }

    @Override
    public String toString() {
        switch (kind) {
            case AUTO:
                return "auto";
            case CPU:
                return "cpu";
            case GPU_ALL:
                return "gpu";
            default:
                return "gpu:" + index;
        }
    }
}
