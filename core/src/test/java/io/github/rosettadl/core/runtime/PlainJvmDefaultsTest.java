package io.github.rosettadl.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;

import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.Mlp;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program that uses the library in a plain JVM (no launcher, no allocator variables, no
 * {@code TorchRuntime.start}) gets the command line's settings: the allocator tuned from inside, and
 * each model's default thread count when it starts training.
 */
class PlainJvmDefaultsTest {

    /** The plain program: prints the allocator outcome and the intra-op threads for an MLP, then a CNN. */
    public static void main(String[] args) {
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

    private static List<String> runPlain(Map<String, String> extraEnv, String... jvmFlags)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java")));
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PlainJvmDefaultsTest.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        NativeAllocator.ENVIRONMENT.keySet().forEach(builder.environment()::remove);
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), out);
        return out.lines().filter(l -> l.startsWith("allocator ") || l.startsWith("mlp ")
                || l.startsWith("simple-cnn ")).toList();
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
    }
}
