package io.github.rosettadl.examples.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/** Where and from what a result was produced: commit, CPU, time and load, read once per command. */
public record RunEnvironment(String commit, String machine) {

    /**
     * Reads the commit of the working directory's git checkout and the CPU model.
     *
     * @return the environment; {@code unknown} for what cannot be read
     */
    public static RunEnvironment detect() {
        return new RunEnvironment(gitDescribe(), cpuModel() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + Runtime.version().feature());
    }

    /**
     * The current time, to the second.
     *
     * @return ISO-8601 UTC
     */
    public static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * The one-minute load average, which tells whether other jobs shared the machine.
     *
     * @return the load, or NaN where {@code /proc/loadavg} cannot be read
     */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    private static String gitDescribe() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=7")
                    .redirectErrorStream(true).start();
            try (InputStream in = git.getInputStream()) {
                String out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                if (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 && !out.isEmpty()) {
                    return out;
                }
            }
        } catch (IOException e) {
            // no git on this machine: the row says unknown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
