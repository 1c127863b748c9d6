package io.github.rosettadl.datasets.source;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.DatasetUnavailableException;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.download.Downloader;
import io.github.rosettadl.datasets.image.ImageData;
import io.github.rosettadl.datasets.source.DataOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads MNIST, Fashion-MNIST and CIFAR-10 into memory, verified against their published
 * checksums.
 *
 * <pre>{@code
 * ImageData mnist = ImageDatasets.load(ImageDatasetId.MNIST, DataOptions.defaults().withDataDir(dir));
 * try (NDManager manager = NDManager.newBaseManager()) {
 *     for (Batch batch : mnist.train().batches(64, true, 42, Normalization.DIVIDE_255).epoch(manager, 0)) {
 *         try (batch) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>It looks in the explicit data folder, then {@code ROSETTA_DATA_DIR}, then the system folders,
 * then the cache; the first complete copy wins. Failing all, and unless offline, it downloads into
 * the cache from the published mirrors. When nothing works the exception lists every place looked
 * at, every mirror tried, and which files to put where.
 */
public final class ImageDatasets {

    private static final Logger LOG = LoggerFactory.getLogger(ImageDatasets.class);

    private ImageDatasets() {
    }

    /**
     * Loads a data set with {@link DataOptions#defaults()}.
     *
     * @param id the data set
     * @return its metadata and splits
     * @throws DatasetUnavailableException when no copy was found and none could be downloaded
     * @throws DatasetException when a copy is corrupt, fails its checksum or cannot be stored
     */
    public static ImageData load(ImageDatasetId id) {
        return load(id, DataOptions.defaults());
    }

    /**
     * Loads a data set.
     *
     * @param id the data set
     * @param options where to look and whether to download
     * @return its metadata and splits
     * @throws DatasetUnavailableException when no copy was found and none could be downloaded
     * @throws DatasetException when a copy is corrupt, fails its checksum or cannot be stored
     */
    public static ImageData load(ImageDatasetId id, DataOptions options) {
        return load(PublishedDatasets.source(id), options);
    }

    /**
     * The official download locations of a data set, tried in order.
     *
     * @param id the data set
     * @return base URLs
     */
    public static List<URI> publishedMirrors(ImageDatasetId id) {
        return PublishedDatasets.source(id).publishedMirrors();
    }

    static ImageData load(ImageSource source, DataOptions options) {
        List<String> looked = new ArrayList<>();
        for (Place place : places(options)) {
            if (place.root == null) {
                looked.add(place.label + ": not set");
                continue;
            }
            Lookup lookup = source.lookIn(place.root);
            if (lookup.found()) {
                LOG.info("{}: reading {} ({})", source.id().displayName(), lookup.where(), place.label);
                return source.load(lookup, options.cacheDir());
            }
            looked.add(place.label + " " + place.root + ": " + lookup.missing());
        }
        if (options.offline()) {
            throw unavailable(source, looked, List.of("none: offline mode is on (" + DataOptions.OFFLINE_ENV
                    + "=true or -D" + DataOptions.OFFLINE_PROPERTY + "=true, or DataOptions.withOffline(true));"
                    + " turn it off to download"));
        }
        List<URI> mirrors = options.mirrorOverride(source.id());
        if (mirrors == null) {
            mirrors = source.publishedMirrors();
        }
        Downloader downloader = new Downloader(options.downloadSettings(), options.progress());
        LOG.info("{}: not found locally, downloading into {}", source.id().displayName(), options.cacheDir());
        try {
            return source.fetch(options.cacheDir(), mirrors, downloader);
        } catch (MirrorsFailedException e) {
            throw unavailable(source, looked, e.failures());
        }
    }

    private static DatasetUnavailableException unavailable(ImageSource source, List<String> looked,
            List<String> mirrors) {
        StringBuilder message = new StringBuilder(source.id().displayName()).append(" is not available.\n");
        message.append("Looked in:\n");
        looked.forEach(line -> message.append("  ").append(line).append('\n'));
        message.append("Mirrors tried:\n");
        mirrors.forEach(line -> message.append("  ").append(line).append('\n'));
        message.append("To provide it by hand, put these files in a folder DIR and pass --data-dir DIR (or set ")
                .append(DataOptions.DATA_DIR_ENV).append("=DIR):\n");
        source.filesToProvide().forEach(line -> message.append("  DIR/").append(line).append('\n'));
        String firstFile = source.filesToProvide().get(0).split("\\s+")[0];
        String summary = source.id().displayName() + " is not available: no local copy was found and "
                + (mirrors.size() == 1 && mirrors.get(0).startsWith("none") ? "offline mode is on" : "no mirror answered")
                + ".\nPut its files in a folder DIR (for example DIR/" + firstFile + ") and pass --data-dir DIR or set "
                + DataOptions.DATA_DIR_ENV + "=DIR; --verbose lists every file, checksum and place looked in.";
        return new DatasetUnavailableException(message.toString().stripTrailing(), summary);
    }

    private static List<Place> places(DataOptions options) {
        List<Place> places = new ArrayList<>();
        places.add(new Place("--data-dir", options.dataDir()));
        places.add(new Place(DataOptions.DATA_DIR_ENV, options.environmentDataDir()));
        for (Path dir : options.systemDirs()) {
            places.add(new Place("system folder", dir));
        }
        places.add(new Place("cache", options.cacheDir()));
        return places;
    }

    private static final class Place {
        private final String label;
        private final Path root;

        Place(String label, Path root) {
            this.label = label;
            this.root = root;
        }
    }
}
