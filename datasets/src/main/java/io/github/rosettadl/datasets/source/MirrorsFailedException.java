package io.github.rosettadl.datasets.source;

import java.util.List;

/** No mirror gave a good copy of a file; lists each mirror's failure. */
final class MirrorsFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> failures;

    MirrorsFailedException(List<String> failures) {
        super(String.join("; ", failures));
        this.failures = List.copyOf(failures);
    }

    /** One line per URL tried: the URL and why it failed. */
    List<String> failures() {
        return failures;
    }
}
