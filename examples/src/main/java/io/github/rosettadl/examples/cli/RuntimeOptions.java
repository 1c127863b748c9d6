package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** The {@code --device} and {@code --threads} flags every training command shares. */
final class RuntimeOptions {

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
            converter = DeviceConverter.class,
            description = "auto, cpu, gpu (all GPUs) or gpu:N (default: ${DEFAULT-VALUE}).")
    DeviceSpec device;

    @Option(names = "--threads", paramLabel = "N",
            description = "libtorch intra-op threads (default: 1 for mlp, measured fastest; all cores otherwise;"
                    + " inter-op is always 1).")
    Integer threads;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private boolean warned;

    /**
     * Starts the engine with these flags.
     *
     * @return the running engine and resolved devices
     */
    TorchRuntime start() {
        return start(EngineThreads.defaults());
    }

    /**
     * Starts the engine with these flags, or the given thread counts where {@code --threads} is absent.
     *
     * @param defaults the thread counts measured best for what will run
     * @return the running engine and resolved devices
     */
    TorchRuntime start(EngineThreads defaults) {
        EngineThreads engineThreads;
        if (threads == null) {
            engineThreads = defaults;
        } else {
            engineThreads = EngineThreads.of(PositiveChecks.require("--threads", threads));
            int cores = Runtime.getRuntime().availableProcessors();
            if (engineThreads.exceedsCores(cores) && !warned) {
                // allowed, since a user may know better, but never silently: it can be many times slower
                warned = true;
                PrintWriter err = command.commandLine().getErr();
                err.println("Warning: --threads " + threads + " is more than the " + cores + " core"
                        + (cores == 1 ? "" : "s") + " this machine has; the threads take turns and training can run"
                        + " many times slower. Use --threads " + cores + " or fewer.");
                err.flush();
            }
        }
        return TorchRuntime.start(device, engineThreads);
    }

    /** Turns the flag's text into a {@link DeviceSpec}, with the valid forms in the error. */
    static final class DeviceConverter implements ITypeConverter<DeviceSpec> {
        @Override
        public DeviceSpec convert(String value) {
            return DeviceSpec.parse(value);
        }
    }
}
