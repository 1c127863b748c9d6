package io.github.rosettadl.datasets.source;

import java.nio.file.Path;

/**
 * The result of looking for a data set in one folder: the folder holding a complete copy, or an
 * archive to extract, or what was missing.
 *
 * @param dir the folder with all files, or null
 * @param archive an archive holding them, or null
 * @param missing what was not found, when neither is set
 */
record Lookup(Path dir, Path archive, String missing) {

    static Lookup folder(Path dir) {
        return new Lookup(dir, null, null);
    }

    static Lookup archive(Path archive) {
        return new Lookup(null, archive, null);
    }

    static Lookup missing(String what) {
        return new Lookup(null, null, what);
    }

    boolean found() {
        return dir != null || archive != null;
    }

    /** The folder or archive, for logs. */
    Path where() {
        return dir != null ? dir : archive;
    }
}
