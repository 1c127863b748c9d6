package io.github.rosettadl.core.runtime;

import com.sun.jna.Function;
import com.sun.jna.Platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * glibc's allocator tuned for libtorch from inside the process, so a program that uses the library
 * in a plain JVM gets what the {@code rosetta} launcher sets with environment variables.
 *
 * <p>With glibc's defaults, libtorch's multi-megabyte temporaries are handed back to the kernel after
 * every step and fault in again on the next; one arena and high mmap and trim thresholds keep them.
 * {@code mallopt} takes those settings at run time, but the one arena only binds threads that have
 * not allocated yet: the JVM's threads, the caller's among them, already hold arenas of their own.
 * Such an arena grows in heaps of 64 MiB and unmaps a heap as soon as it is empty, so a step that
 * needs two maps the second anew every time; a top pad as large as a heap keeps it. The launcher
 * gets one arena from the environment and needs no pad.
 *
 * <p>Hand-written: no maintained Java library wraps {@code mallopt}; JNA comes with DJL. Settings
 * the user gave in the environment win, and {@code -Drosetta.allocator=default} leaves the
 * allocator alone.
 */
public final class NativeAllocator {

    /** The system property that opts out: {@code default} leaves glibc's settings as they are. */
    public static final String PROPERTY = "rosetta.allocator";

    /** The launcher's settings: {@code MALLOC_ARENA_MAX}, {@code MALLOC_MMAP_THRESHOLD_}, {@code MALLOC_TRIM_THRESHOLD_}. */
    public static final Map<String, String> ENVIRONMENT = Map.of(
            "MALLOC_ARENA_MAX", "1",
            "MALLOC_MMAP_THRESHOLD_", "268435456",
            "MALLOC_TRIM_THRESHOLD_", "268435456");

    /** glibc's {@code HEAP_MAX_SIZE} on 64-bit: the top pad that keeps a thread arena's heaps mapped. */
    private static final int TOP_PAD_BYTES = 64 << 20;

    /** The variables that, set in the environment, leave the allocator to the user: the launcher's and the top pad's. */
    public static final Set<String> VARIABLES = Stream.concat(ENVIRONMENT.keySet().stream(), Stream.of("MALLOC_TOP_PAD_"))
            .collect(Collectors.toUnmodifiableSet());

    private static final Logger LOG = LoggerFactory.getLogger(NativeAllocator.class);

    // glibc's malloc.h
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_ARENA_MAX = -8;

    /** What {@link #tune()} did. */
    public enum Outcome {
        /** the three settings and the top pad were applied */
        TUNED,
        /** the environment already sets the allocator (the launcher, or the user) */
        SET_BY_ENVIRONMENT,
        /** opted out with {@code -Drosetta.allocator=default} */
        OPTED_OUT,
        /** not Linux with glibc: nothing to do */
        NOT_GLIBC,
        /** glibc refused a setting; the allocator keeps its defaults for it */
        REFUSED
    }

    private static Outcome outcome;

    private NativeAllocator() {}

    /**
     * Applies the settings once per process; later calls return the first outcome.
     *
     * @return what was done
     */
    public static synchronized Outcome tune() {
        if (outcome == null) {
            outcome = apply(System.getenv());
            LOG.debug("glibc allocator: {}", outcome);
        }
        return outcome;
    }

    static Outcome apply(Map<String, String> env) {
        if ("default".equals(System.getProperty(PROPERTY))) {
            return Outcome.OPTED_OUT;
        }
        if (VARIABLES.stream().anyMatch(env::containsKey)) {
            return Outcome.SET_BY_ENVIRONMENT;
        }
        if (!Platform.isLinux()) {
            return Outcome.NOT_GLIBC;
        }
        Function mallopt;
        try {
            mallopt = Function.getFunction(Platform.C_LIBRARY_NAME, "mallopt");
            Function.getFunction(Platform.C_LIBRARY_NAME, "gnu_get_libc_version"); // musl has mallopt too
        } catch (UnsatisfiedLinkError e) {
            return Outcome.NOT_GLIBC;
        }
        boolean applied = mallopt.invokeInt(new Object[] {M_ARENA_MAX, value("MALLOC_ARENA_MAX")}) == 1;
        applied &= mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, value("MALLOC_MMAP_THRESHOLD_")}) == 1;
        applied &= mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, value("MALLOC_TRIM_THRESHOLD_")}) == 1;
        applied &= mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD_BYTES}) == 1;
        return applied ? Outcome.TUNED : Outcome.REFUSED;
    }

    private static int value(String variable) {
        return Integer.parseInt(ENVIRONMENT.get(variable));
    }
}
