package io.github.rosettadl.datasets.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a test's folder: a real full disk, or a real read-only file system.
 * Mounting needs root (or the capability to mount); elsewhere the calling test is skipped, saying so.
 */
public final class SmallTmpfs implements AutoCloseable {

    private final Path dir;

    private SmallTmpfs(Path dir) {
        this.dir = dir;
    }

    /**
     * Mounts a tmpfs of {@code kilobytes} on {@code dir}, or skips the calling test with the reason.
     *
     * @param dir an empty folder to mount on
     * @param kilobytes the size of the file system
     * @return the mounted file system; close it to unmount
     */
    public static SmallTmpfs mount(Path dir, int kilobytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String output = run("mount", "-t", "tmpfs", "-o", "size=" + kilobytes + "k", "tmpfs", dir.toString());
        assumeTrue(output == null, "cannot mount a small tmpfs for a real full or read-only disk (needs root): "
                + output);
        return new SmallTmpfs(dir);
    }

    /** The mount point. */
    public Path dir() {
        return dir;
    }

    /** Writes a filler file until the file system is full. */
    public void fill() throws IOException {
        byte[] block = new byte[4096];
        try (var out = Files.newOutputStream(dir.resolve("filler.bin"))) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    /** Grows or shrinks the file system, keeping what it holds: the user freeing space. */
    public void resize(int kilobytes) throws IOException, InterruptedException {
        String output = run("mount", "-o", "remount,size=" + kilobytes + "k", dir.toString());
        if (output != null) {
            throw new IOException("could not resize " + dir + ": " + output);
        }
    }

    /** Makes the mounted file system read-only, keeping what it holds. */
    public void remountReadOnly() throws IOException, InterruptedException {
        String output = run("mount", "-o", "remount,ro", dir.toString());
        if (output != null) {
            throw new IOException("could not remount " + dir + " read-only: " + output);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String output = run("umount", dir.toString());
        if (output != null) {
            throw new IOException("could not unmount " + dir + ": " + output);
        }
    }

    /** Runs a command; null when it succeeded, else what it printed and its exit code. */
    private static String run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        Process process;
        try {
            process = new ProcessBuilder(line).redirectErrorStream(true).start();
        } catch (IOException noCommand) {
            return noCommand.getMessage();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", line) + " did not finish";
        }
        return process.exitValue() == 0 ? null : String.join(" ", line) + " exited " + process.exitValue() + ": "
                + output;
    }
}
