package io.github.rosettadl.datasets;

/**
 * A data set's file could not be read or written for a reason outside the data: a full disk, a
 * missing permission, a read-only file system, a file deleted while it was in use. The data may be
 * intact; the message names the path and says what to change on the machine, never to delete it.
 */
public class DatasetStorageException extends DatasetException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the path, what failed, and what to change
     * @param cause the I/O failure
     */
    public DatasetStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
