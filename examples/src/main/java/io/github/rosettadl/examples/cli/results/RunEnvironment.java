package io.github.rosettadl.examples.cli.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/** Where and from what a result was produced: commit, CPU, time and load, read once per command. */
public record RunEnvironment(String commit, String machine) {

    /**
     * Reads the commit the code was built from and the CPU model.
     *
     * @return the environment; {@code unknown} for what cannot be read
     */
    public static RunEnvironment detect() {
        return new RunEnvironment(buildCommit(), cpuModel() + ", " + Runtime.getRuntime().availableProcessors()
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
     * The one-minute load average, which tells how busy the machine was: other programs slow a run down.
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

    /** {@code git describe} of the tree the jar was built from, which git-commit-id-maven-plugin records. */
    private static String buildCommit() {
        Properties git = new Properties();
        try (InputStream in = RunEnvironment.class.getResourceAsStream("/io/github/rosettadl/examples/git.properties")) {
            if (in != null) {
                git.load(in);
            }
        } catch (IOException e) {
            // an unreadable file says no more than a missing one: the row says unknown
        }
        String describe = git.getProperty("git.commit.id.describe", "").trim();
        return describe.isEmpty() ? "unknown" : describe;
    }
}
