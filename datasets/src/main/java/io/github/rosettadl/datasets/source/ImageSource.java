package io.github.rosettadl.datasets.source;

import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.download.Downloader;
import io.github.rosettadl.datasets.image.ImageData;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** One data set's published files, how copies of them may lie in a folder, and how to fetch them. */
interface ImageSource {

    /**
     * Which data set.
     *
     * @return the id
     */
    ImageDatasetId id();

    /**
     * The official download locations, tried in order.
     *
     * @return base URLs
     */
    List<URI> publishedMirrors();

    /**
     * Looks for a complete copy under {@code root}, in the layouts users have.
     *
     * @param root a data folder
     * @return where the copy is, or what is missing
     */
    Lookup lookIn(Path root);

    /**
     * Reads and verifies a copy that {@link #lookIn} found.
     *
     * @param found the copy
     * @param cacheDir where an archive may be extracted to
     * @return the data
     */
    ImageData load(Lookup found, Path cacheDir);

    /**
     * Downloads what the cache lacks from the mirrors, verifies it, and reads it.
     *
     * @param cacheDir the cache root, known to be writable
     * @param mirrors base URLs, tried in order for each file
     * @param downloader the downloader
     * @return the data
     * @throws MirrorsFailedException when a file could not be had from any mirror
     */
    ImageData fetch(Path cacheDir, List<URI> mirrors, Downloader downloader) throws MirrorsFailedException;

    /**
     * What a user must put in a data folder to provide this data set by hand, one line each.
     *
     * @return lines such as {@code mnist/train-images-idx3-ubyte.gz (md5 f68b...)}
     */
    List<String> filesToProvide();
}
