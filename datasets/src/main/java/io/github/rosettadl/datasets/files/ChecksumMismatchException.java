package io.github.rosettadl.datasets.files;

import io.github.rosettadl.datasets.DatasetException;

/** A file is readable but is not the published one: neither its md5 nor its content's matches. */
public class ChecksumMismatchException extends DatasetException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the file, both checksums, and what to do
     */
    public ChecksumMismatchException(String message) {
        super(message);
    }
}
