package io.github.rosettadl.datasets.download;

import java.io.IOException;
import java.net.URI;

/** Every try to fetch one URL failed; nothing was left behind at the target. */
public class DownloadException extends IOException {

    private static final long serialVersionUID = 1L;

    private final URI url;
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param url the URL that could not be fetched
     * @param reason why, in a few words, for example {@code HTTP 404} or {@code checksum mismatch}
     * @param cause the last underlying failure, or null
     */
    public DownloadException(URI url, String reason, Throwable cause) {
        super(url + ": " + reason, cause);
        this.url = url;
        this.reason = reason;
    }

    /**
     * The URL that could not be fetched.
     *
     * @return the URL
     */
    public URI url() {
        return url;
    }

    /**
     * Why, in a few words.
     *
     * @return for example {@code HTTP 404 (not found)}
     */
    public String reason() {
        return reason;
    }
}
