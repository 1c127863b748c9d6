package io.github.rosettadl.core.report;

import java.io.UncheckedIOException;

/**
 * Some files of a run's report could not be written (a full disk, a permission problem); the others
 * were written, and the message names each missing file with its reason.
 */
public final class ReportIncompleteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which files are missing, and why
     * @param cause the first failure
     */
    public ReportIncompleteException(String message, UncheckedIOException cause) {
        super(message, cause);
    }
}
