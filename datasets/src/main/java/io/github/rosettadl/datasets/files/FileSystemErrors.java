package io.github.rosettadl.datasets.files;

import io.github.rosettadl.datasets.DatasetStorageException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Tells an I/O failure caused by the machine (a full disk, a missing permission, a read-only file
 * system, a file that vanished) from one caused by the bytes (a corrupt or truncated file), and
 * words the first kind. The difference decides the advice: a corrupt file is replaced, but a good
 * file on a full disk must be kept.
 */
public final class FileSystemErrors {

    private FileSystemErrors() {
    }

    /**
     * Whether {@code e} comes from the machine rather than from the content being read. The
     * file-system exceptions of {@code java.nio.file} always do; a plain {@link IOException} does
     * when it carries the operating system's words for a full disk, a quota, a read-only file
     * system, a denied permission or a failing device.
     *
     * @param e the failure
     * @return true for a full disk, permission, read-only file system, vanished file or device error
     */
    public static boolean isEnvironment(IOException e) {
        if (e instanceof FileSystemException || e instanceof FileNotFoundException) {
            // java.io says "cannot open" with FileNotFoundException: missing, refused or read-only
            return true;
        }
        String text = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return text.contains("no space left") || text.contains("quota exceeded") || text.contains("read-only file")
                || text.contains("permission denied") || text.contains("operation not permitted")
                || text.contains("input/output error") || text.contains("file too large")
                || text.contains("stale file handle");
    }

    /**
     * The failure in a few words, for example {@code no space left on device}.
     *
     * @param e the failure
     * @return what the operating system said, in lower case, without the path
     */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        String reason = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        if (e instanceof FileNotFoundException && reason != null && reason.endsWith(")") && reason.contains(" (")) {
            // "PATH (No such file or directory)": the words in brackets
            reason = reason.substring(reason.lastIndexOf(" (") + 2, reason.length() - 1);
        }
        if (reason == null || reason.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }

    /**
     * The path a file-system exception names, or null for a plain {@link IOException}.
     *
     * @param e the failure
     * @return the path the operating system refused, or null
     */
    public static Path pathOf(IOException e) {
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            return Path.of(fs.getFile());
        }
        return null;
    }

    /**
     * What a user can do about a failure of this kind.
     *
     * @param e the failure
     * @return one sentence of advice
     */
    public static String remedy(IOException e) {
        String text = reason(e).toLowerCase(Locale.ROOT);
        if (text.contains("no space left") || text.contains("quota exceeded") || text.contains("file too large")) {
            return "Free some space on that disk (or raise the quota).";
        }
        if (text.contains("read-only file")) {
            return "That file system is mounted read-only.";
        }
        if (text.contains("permission denied") || text.contains("operation not permitted")) {
            return "Fix the permissions (chmod, chown) for the user running this.";
        }
        if (e instanceof NoSuchFileException) {
            return "It vanished while in use, or its folder is missing: check that nothing else removes or moves"
                    + " files there, and run again.";
        }
        return "Check the disk and the folder's permissions.";
    }

    /**
     * The exception for a failure of the machine: the action and path, the reason, the advice.
     *
     * @param action what was being done, with its path, for example {@code "Cannot write /cache/x"}
     * @param e the failure
     * @param elsewhere the caller's way round it (another folder, a flag), or an empty string
     * @return the exception to throw
     */
    public static DatasetStorageException storage(String action, IOException e, String elsewhere) {
        Path refused = pathOf(e);
        String at = refused != null && !action.contains(refused.toString()) ? " (at " + refused + ")" : "";
        String message = action + ": " + reason(e) + at + ". " + remedy(e)
                + (elsewhere.isEmpty() ? "" : " " + elsewhere);
        return new DatasetStorageException(message, e);
    }
}
