package io.github.rosettadl.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;

import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.Mlp;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.testing.GeneratedImages;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program that uses the library in a plain JVM (no launcher, no allocator variables, no
 * {@code TorchRuntime.start}) gets the command line's settings: the allocator tuned from inside, and
 * each model's default thread count when it starts training.
 */
class PlainJvmDefaultsTest {

    /** Ten SimpleCNN steps of batch 64 an epoch. */
    private static final GeneratedImages TEN_STEPS = new GeneratedImages(new ImageShape(1, 28, 28), 10, 640, 64, 1);

    /**
     * The plain program: prints the allocator outcome and the intra-op threads for an MLP, then a CNN;
     * with the argument {@code heaps}, the minor page faults of SimpleCNN steps 21 to 40 on a new thread instead.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("heaps")) {
            // one intra-op thread, so that the step thread itself touches every page
            TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
            System.out.println("allocator " + NativeAllocator.tune());
            long[] faults = new long[1];
            Thread step = new Thread(() -> faults[0] = faultsAfterWarmUp());
            step.start();
            step.join();
            System.out.println("faults " + faults[0]);
            return;
        }
        try (TrainingSession mlp = TrainingSession.start(new Mlp.Spec(new ImageShape(1, 28, 28), 10),
                TrainingConfig.adam(1e-3f), Device.cpu())) {
            System.out.println("allocator " + NativeAllocator.tune());
            System.out.println("mlp " + JniUtils.getNumThreads());
        }
        try (TrainingSession cnn = TrainingSession.start(new SimpleCNN.Spec(new ImageShape(1, 28, 28), 10),
                TrainingConfig.adam(1e-3f), Device.cpu())) {
            System.out.println("simple-cnn " + JniUtils.getNumThreads());
        }
    }

    /** Two warm-up epochs, then the faults of two more: a step's activations need more than one heap. */
    private static long faultsAfterWarmUp() {
        try (TrainingSession session = TrainingSession.start(new SimpleCNN.Spec(new ImageShape(1, 28, 28), 10),
                TrainingConfig.adam(1e-3f), Device.cpu())) {
            session.trainEpoch(TEN_STEPS, null);
            session.trainEpoch(TEN_STEPS, null);
            long warm = minorFaults();
            session.trainEpoch(TEN_STEPS, null);
            session.trainEpoch(TEN_STEPS, null);
            return minorFaults() - warm;
        }
    }

    private static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat")); // this thread's, not the JIT's
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> runPlain(Map<String, String> extraEnv, String... jvmFlags)
            throws IOException, InterruptedException {
        return runPlain(extraEnv, List.of(), jvmFlags);
    }

    private static List<String> runPlain(Map<String, String> extraEnv, List<String> programArgs, String... jvmFlags)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java")));
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PlainJvmDefaultsTest.class.getName()));
        command.addAll(programArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        NativeAllocator.VARIABLES.forEach(builder.environment()::remove);
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), out);
        return out.lines().filter(l -> l.startsWith("allocator ") || l.startsWith("mlp ")
                || l.startsWith("simple-cnn ") || l.startsWith("faults ")).toList();
    }

    @Test
    void aPlainJvmGetsTheTunedAllocatorAndEachModelsThreads() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(List.of("allocator TUNED", "mlp 1", "simple-cnn " + cores), runPlain(Map.of()));
    }

    @Test
    void theUsersOwnSettingsWin() throws Exception {
        List<String> lines = runPlain(Map.of("MALLOC_ARENA_MAX", "4"), "-D" + EngineThreads.INTRA_OP_PROPERTY + "=2");
        assertEquals(List.of("allocator SET_BY_ENVIRONMENT", "mlp 2", "simple-cnn 2"), lines);
        assertEquals("allocator OPTED_OUT",
                runPlain(Map.of(), "-D" + NativeAllocator.PROPERTY + "=default").get(0));
        assertEquals(NativeAllocator.Outcome.SET_BY_ENVIRONMENT, NativeAllocator.apply(Map.of("MALLOC_TOP_PAD_", "0")));
    }

    @Test
    void aThreadsArenaKeepsItsHeapsFromStepToStep() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")), "minor page faults are read from /proc");
        List<String> lines = runPlain(Map.of(), List.of("heaps"));
        assertEquals("allocator TUNED", lines.get(0));
        // kept heaps fault in only what a new high-water mark adds (0 to 3,300 pages here); without the
        // top pad a thread arena maps a heap again each step: 12,000 to 96,000 pages over these 20 steps
        // (unless the thread happens to get glibc's main arena)
        long faults = Long.parseLong(lines.get(1).substring("faults ".length()));
        assertTrue(faults < 10_000, "steps 21 to 40 faulted " + faults + " pages in: the arena gave heaps back");
    }
}
