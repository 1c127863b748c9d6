package io.github.rosettadl.datasets;

/**
 * A data set could not be read or stored: a corrupt or unexpected file, a checksum mismatch, an
 * unwritable cache. The message names the file and says what would fix it.
 */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the file, and what to do about it
     */
    public DatasetException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, naming the file, and what to do about it
     * @param cause the underlying failure
     */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
