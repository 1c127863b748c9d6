package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.runtime.NativeAllocator;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Restarts a training command in a child JVM whose glibc allocator keeps freed memory, with the
 * launcher's garbage collector settings ({@link #JVM_FLAGS}).
 *
 * <p>The allocator settings are also applied from inside any JVM when the engine starts
 * ({@code NativeAllocator}); what only a new JVM can get is the collector flags, which keep memory
 * flat (docs/PERFORMANCE.md), and {@code mvn exec:java} runs inside Maven's JVM. The child gets the
 * allocator settings as environment variables too, as the launcher script sets them, so no relaunch
 * happens under the launcher. Set {@code ROSETTA_RELAUNCH=false} to opt out.
 */
final class AllocatorRelaunch {

    /** The allocator settings that measured fastest for libtorch on glibc. */
    static final Map<String, String> MALLOC_ENV = NativeAllocator.ENVIRONMENT;

    /**
     * The launcher's JVM flags: the serial collector with a 32 MB young generation. With G1's
     * default young generation an MLP step measured 1.09 ms instead of 0.73 and RSS rose about
     * 25 MB per epoch while G1 touched fresh heap (docs/PERFORMANCE.md).
     */
    static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xmn32m");

    private static final List<String> FORWARDED_PROPERTY_PREFIXES =
            List.of("ai.djl.", "org.slf4j.", "rosetta.", "java.awt.headless", "OPT_OUT_TRACKING");

    private AllocatorRelaunch() {}

    /**
     * Whether this process should restart itself: on Linux (glibc), with the allocator untuned, and
     * not opted out.
     *
     * @param env this process's environment
     * @return true when a relaunch would help
     */
    static boolean wanted(Map<String, String> env) {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        return linux && env.get("MALLOC_ARENA_MAX") == null && !"false".equalsIgnoreCase(env.get("ROSETTA_RELAUNCH"));
    }

    /**
     * The child's command line: this JVM's java, {@link #JVM_FLAGS} (unless this JVM was given its
     * own), this run's class path, the forwarded system properties, the main class and the same
     * arguments.
     *
     * @param mainClass the class to run
     * @param args the arguments to pass on
     * @return the command
     */
    static List<String> command(Class<?> mainClass, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.add("-cp");
        command.add(classPath(mainClass));
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> FORWARDED_PROPERTY_PREFIXES.stream().anyMatch(name::startsWith))
                .sorted()
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /**
     * Runs the command in a child with the tuned allocator, sharing this process's terminal.
     *
     * @param mainClass the class to run
     * @param args the arguments to pass on
     * @return the child's exit code
     * @throws IOException when the child cannot be started
     * @throws InterruptedException when interrupted while waiting for the child
     */
    static int relaunch(Class<?> mainClass, String[] args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command(mainClass, args)).inheritIO();
        builder.environment().putAll(MALLOC_ENV);
        builder.environment().putIfAbsent("OPT_OUT_TRACKING", "true");
        Process child = builder.start();
        // Ctrl-C reaches the child through the terminal; this hook covers a plain kill of the parent
        Thread reaper = new Thread(child::destroy, "rosetta-child-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            return child.waitFor();
        } finally {
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
    }

    /**
     * The garbage collector flags for the child: {@link #JVM_FLAGS}, or none when this JVM's own
     * flags already choose a collector or a young-generation size.
     *
     * @param parentFlags this JVM's input arguments
     * @return the flags
     */
    static List<String> jvmFlags(List<String> parentFlags) {
        boolean chosen = parentFlags.stream().anyMatch(f -> f.contains("GC") || f.startsWith("-Xmn")
                || f.contains("NewSize"));
        return chosen ? List.of() : JVM_FLAGS;
    }

    private static String javaExecutable() {
        Optional<String> current = ProcessHandle.current().info().command();
        return current.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String classPath(Class<?> mainClass) {
        // exec:java loads the project through its own URLClassLoader; java.class.path is Maven's there
        if (mainClass.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
            return Arrays.stream(loader.getURLs()).map(AllocatorRelaunch::toPath)
                    .collect(Collectors.joining(File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static String toPath(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Unexpected class path entry " + url, e);
        }
    }
}
