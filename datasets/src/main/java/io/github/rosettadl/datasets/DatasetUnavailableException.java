package io.github.rosettadl.datasets;

/**
 * No copy of a data set was found in any folder looked at, and none could be downloaded. The
 * message lists the places looked at, the mirrors tried, and which files to put where.
 */
public class DatasetUnavailableException extends DatasetException {

    private static final long serialVersionUID = 1L;

    private final String summary;

    /**
     * Creates the exception.
     *
     * @param message where the data was looked for and how to provide it
     */
    public DatasetUnavailableException(String message) {
        this(message, message);
    }

    /**
     * Creates the exception with a short form for command lines.
     *
     * @param message where the data was looked for and how to provide it, in full
     * @param summary the same in two lines: what is missing, and where to put it
     */
    public DatasetUnavailableException(String message, String summary) {
        super(message);
        this.summary = summary;
    }

    /**
     * The two-line form: what is missing and how to point at a local copy.
     *
     * @return the summary
     */
    public String summary() {
        return summary;
    }
}
