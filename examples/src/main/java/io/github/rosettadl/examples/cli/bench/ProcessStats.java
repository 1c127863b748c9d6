package io.github.rosettadl.examples.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory and age, read from Linux's {@code /proc}, the same way the PyTorch twin
 * ({@code bench/pytorch_bench.py}) reads them, so that both sides are measured alike.
 */
public final class ProcessStats {

    /** Linux's USER_HZ, the unit of a process's start time in {@code /proc/<pid>/stat}: 100 on every ABI Java runs on. */
    private static final double CLOCK_TICKS_PER_SECOND = 100;
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessStats() {
    }

    /**
     * The resident set size now ({@code VmRSS}).
     *
     * @return megabytes (2^20 bytes)
     */
    public static double residentMegabytes() {
        return statusKilobytes("VmRSS:") / 1024.0;
    }

    /**
     * The highest resident set size so far: {@code VmHWM}, or {@code VmRSS} where the kernel has
     * not yet raised {@code VmHWM} to it (it updates the high-water mark lazily).
     *
     * @return megabytes (2^20 bytes)
     */
    public static double peakResidentMegabytes() {
        return Math.max(statusKilobytes("VmHWM:"), statusKilobytes("VmRSS:")) / 1024.0;
    }

    /**
     * Seconds since this process started. Reads the start from {@code /proc/self/stat} and the
     * time since boot from {@code /proc/uptime} (both to 10 ms), rather than
     * {@code ProcessHandle.info().startInstant()}, whose boot time is rounded to whole seconds.
     *
     * @return the process's age
     */
    public static double secondsSinceStart() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the command name in parentheses may hold spaces: count fields after its closing ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long startTicks = Long.parseLong(fields[19]); // field 22, starttime
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split("\\s+")[0]);
            return uptime - startTicks / CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read this process's start time from /proc", e);
        }
    }

    private static long statusKilobytes(String field) {
        try {
            return Files.readAllLines(STATUS).stream().filter(line -> line.startsWith(field))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).findFirst()
                    .orElseThrow(() -> new IllegalStateException(STATUS + " has no " + field + " line"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + STATUS, e);
        }
    }
}
