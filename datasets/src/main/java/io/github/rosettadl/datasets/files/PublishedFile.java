package io.github.rosettadl.datasets.files;

/**
 * A file of a data set as its authors publish it, with the checksums a copy must match.
 *
 * @param name the original file name, for example {@code train-images-idx3-ubyte.gz}
 * @param md5 the md5 of the file as published
 * @param contentMd5 the md5 of the bytes inside when the published file is gzipped, else the
 *     same as {@code md5}; a recompressed copy (Debian's Fashion-MNIST) matches this one only
 * @param subset the checksums of the one cut-down copy that is also accepted (the project's
 *     bundled test subset: the file's first records, unchanged), or null when there is none
 */
public record PublishedFile(String name, String md5, String contentMd5, PublishedFile subset) {

    /**
     * A published file with no accepted subset.
     *
     * @param name the original file name
     * @param md5 the md5 of the file as published
     * @param contentMd5 the md5 of the bytes inside, or {@code md5} when not compressed
     */
    public PublishedFile(String name, String md5, String contentMd5) {
        this(name, md5, contentMd5, null);
    }

    /**
     * A file that is not compressed, so its content is the file.
     *
     * @param name the original file name
     * @param md5 its md5
     * @return the published file
     */
    public static PublishedFile plain(String name, String md5) {
        return new PublishedFile(name, md5, md5);
    }

    /**
     * The same file, also accepting one known cut-down copy of it.
     *
     * @param subsetMd5 the md5 of the cut-down file as stored
     * @param subsetContentMd5 the md5 of its decompressed bytes, or {@code subsetMd5} when not compressed
     * @return the published file with that subset
     */
    public PublishedFile withSubset(String subsetMd5, String subsetContentMd5) {
        return new PublishedFile(name, md5, contentMd5, new PublishedFile(name, subsetMd5, subsetContentMd5));
    }

    /**
     * The name without a {@code .gz} suffix: the name of the decompressed file.
     *
     * @return for example {@code train-images-idx3-ubyte}
     */
    public String uncompressedName() {
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    /**
     * Whether a file whose own md5 and content md5 are the given ones is a good copy.
     *
     * @param fileMd5 md5 of the file as stored
     * @param actualContentMd5 md5 of its decompressed bytes (equal to {@code fileMd5} if not compressed)
     * @return true if either matches what was published, or what the accepted subset has
     */
    public boolean matches(String fileMd5, String actualContentMd5) {
        return md5.equalsIgnoreCase(fileMd5) || contentMd5.equalsIgnoreCase(actualContentMd5)
                || subset != null && subset.matches(fileMd5, actualContentMd5);
    }
}
