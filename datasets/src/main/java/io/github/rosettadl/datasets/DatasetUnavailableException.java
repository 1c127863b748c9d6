package io.github.rosettadl.datasets;

/**
 * No copy of a data set was found in any folder looked at, and none could be downloaded. The
 * message lists the places looked at, the mirrors tried, and which files to put where.
 */
public class DatasetUnavailableException extends DatasetException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message where the data was looked for and how to provide it
     */
    public DatasetUnavailableException(String message) {
        super(message);
    }
}
