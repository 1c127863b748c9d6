package io.github.rosettadl.core.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * A file or folder could not be written or read because of the machine, not the program: a full
 * disk, a missing permission, a read-only file system, a folder that does not exist. The message
 * names the path and what to change; the user can fix it.
 */
public final class StorageException extends UncheckedIOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the path, what failed, and what to change
     * @param cause the I/O failure
     */
    public StorageException(String message, IOException cause) {
        super(message, cause);
    }

    /**
     * Words a failure: {@code "<action>: <reason>. <advice>"}.
     *
     * @param action what was being done, with its path, for example {@code "Cannot write docs/RESULTS.md"}
     * @param cause the failure
     * @param advice what would fix it, for example the flag that chooses another place
     * @return the exception to throw
     */
    public static StorageException of(String action, IOException cause, String advice) {
        String at = cause instanceof FileSystemException fs && fs.getFile() != null && !action.contains(fs.getFile())
                ? " (at " + fs.getFile() + ")" : "";
        return new StorageException(action + ": " + reason(cause) + at + ". " + advice, cause);
    }

    /**
     * Whether {@code e} comes from the machine rather than from the program or the content: the
     * file-system exceptions of {@code java.nio.file}, or the operating system's words for a full
     * disk, a quota, a read-only file system, a denied permission or a failing device.
     *
     * @param e the failure
     * @return true when the user can fix it by changing the machine or the path
     */
    public static boolean isEnvironment(IOException e) {
        if (e instanceof FileSystemException || e instanceof FileNotFoundException) {
            // java.io says "cannot open" with FileNotFoundException: missing, refused or read-only
            return true;
        }
        String text = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return text.contains("no space left") || text.contains("quota exceeded") || text.contains("read-only file")
                || text.contains("permission denied") || text.contains("operation not permitted")
                || text.contains("input/output error") || text.contains("file too large");
    }

    /**
     * The failure in a few words, for example {@code no space left on device}.
     *
     * @param e the failure
     * @return what the operating system said, without the path
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
}
