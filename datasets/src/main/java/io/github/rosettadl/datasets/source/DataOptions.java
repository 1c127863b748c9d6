package io.github.rosettadl.datasets.source;

import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.download.DownloadSettings;
import io.github.rosettadl.datasets.download.ProgressSink;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where {@link ImageDatasets} looks for data and whether it may download. Immutable: each
 * {@code with...} returns a changed copy.
 *
 * <p>Folders are searched in this order: the explicit data folder, {@value #DATA_DIR_ENV}, the
 * system folders ({@code /usr/share/datasets}, where Debian's {@code dataset-fashion-mnist}
 * installs), then the cache; only then, unless offline, a download into the cache.
 */
public final class DataOptions {

    /** The environment variable naming a data folder, searched after the explicit one. */
    public static final String DATA_DIR_ENV = "ROSETTA_DATA_DIR";
    /** DJL's switch for no network, honoured here too. */
    public static final String OFFLINE_ENV = "DJL_OFFLINE";
    /** DJL's system property for no network, honoured here too. */
    public static final String OFFLINE_PROPERTY = "ai.djl.offline";
    /** The cache folder's name under {@code $XDG_CACHE_HOME} or {@code ~/.cache}. */
    public static final String CACHE_NAME = "rosetta-dl";
    /** Where Debian's data set packages install. */
    public static final Path DEBIAN_DATASETS = Path.of("/usr/share/datasets");

    private final Path dataDir;
    private final Path environmentDataDir;
    private final boolean offline;
    private final Path cacheDir;
    private final List<Path> systemDirs;
    private final ProgressSink progress;
    private final DownloadSettings downloadSettings;
    private final Map<ImageDatasetId, List<URI>> mirrors;

    private DataOptions(Path dataDir, Path environmentDataDir, boolean offline, Path cacheDir,
            List<Path> systemDirs, ProgressSink progress, DownloadSettings downloadSettings,
            Map<ImageDatasetId, List<URI>> mirrors) {
        this.dataDir = dataDir;
        this.environmentDataDir = environmentDataDir;
        this.offline = offline;
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.systemDirs = List.copyOf(systemDirs);
        this.progress = Objects.requireNonNull(progress, "progress");
        this.downloadSettings = Objects.requireNonNull(downloadSettings, "downloadSettings");
        this.mirrors = mirrors;
    }

    /**
     * The options this process's environment and system properties give: {@value #DATA_DIR_ENV},
     * offline when {@value #OFFLINE_ENV} or {@value #OFFLINE_PROPERTY} is {@code true}, the XDG
     * cache, and a progress bar on standard error.
     *
     * @return the defaults
     */
    public static DataOptions defaults() {
        return fromEnvironment(System.getenv(), System.getProperties());
    }

    /**
     * The defaults for a given environment, so that they can be checked without changing this
     * process's environment.
     *
     * @param env environment variables
     * @param properties system properties
     * @return the defaults
     */
    public static DataOptions fromEnvironment(Map<String, String> env, Properties properties) {
        String dataDirEnv = env.get(DATA_DIR_ENV);
        Path envDir = dataDirEnv == null || dataDirEnv.isBlank() ? null : Path.of(dataDirEnv);
        boolean offline = "true".equalsIgnoreCase(env.get(OFFLINE_ENV))
                || "true".equalsIgnoreCase(properties.getProperty(OFFLINE_PROPERTY));
        return new DataOptions(null, envDir, offline, defaultCacheDir(env, properties), List.of(DEBIAN_DATASETS),
                ProgressSink.console(), DownloadSettings.DEFAULTS, new EnumMap<>(ImageDatasetId.class));
    }

    private static Path defaultCacheDir(Map<String, String> env, Properties properties) {
        String xdg = env.get("XDG_CACHE_HOME");
        // the XDG spec says a relative value is invalid and must be ignored
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, CACHE_NAME);
        }
        return Path.of(properties.getProperty("user.home"), ".cache", CACHE_NAME);
    }

    /**
     * Sets the explicit data folder, searched first ({@code --data-dir}).
     *
     * @param dir the folder, or null for none
     * @return changed options
     */
    public DataOptions withDataDir(Path dir) {
        return new DataOptions(dir, environmentDataDir, offline, cacheDir, systemDirs, progress, downloadSettings,
                mirrors);
    }

    /**
     * Replaces the folder taken from {@value #DATA_DIR_ENV}.
     *
     * @param dir the folder, or null for none
     * @return changed options
     */
    public DataOptions withEnvironmentDataDir(Path dir) {
        return new DataOptions(dataDir, dir, offline, cacheDir, systemDirs, progress, downloadSettings, mirrors);
    }

    /**
     * Allows or forbids downloads.
     *
     * @param offline true to never touch the network
     * @return changed options
     */
    public DataOptions withOffline(boolean offline) {
        return new DataOptions(dataDir, environmentDataDir, offline, cacheDir, systemDirs, progress,
                downloadSettings, mirrors);
    }

    /**
     * Sets the cache folder, where downloads and extracted archives go.
     *
     * @param dir the folder
     * @return changed options
     */
    public DataOptions withCacheDir(Path dir) {
        return new DataOptions(dataDir, environmentDataDir, offline, dir, systemDirs, progress, downloadSettings,
                mirrors);
    }

    /**
     * Replaces the system folders searched after the data folders.
     *
     * @param dirs the folders, possibly none
     * @return changed options
     */
    public DataOptions withSystemDirs(List<Path> dirs) {
        return new DataOptions(dataDir, environmentDataDir, offline, cacheDir, dirs, progress, downloadSettings,
                mirrors);
    }

    /**
     * Sets where download progress goes; {@link ProgressSink#silent()} shows nothing.
     *
     * @param sink the sink
     * @return changed options
     */
    public DataOptions withProgress(ProgressSink sink) {
        return new DataOptions(dataDir, environmentDataDir, offline, cacheDir, systemDirs, sink, downloadSettings,
                mirrors);
    }

    /**
     * Sets time-outs, tries and back-off for downloads.
     *
     * @param settings the settings
     * @return changed options
     */
    public DataOptions withDownloadSettings(DownloadSettings settings) {
        return new DataOptions(dataDir, environmentDataDir, offline, cacheDir, systemDirs, progress, settings,
                mirrors);
    }

    /**
     * Replaces a data set's mirrors, for a local or corporate copy of the published files. Each is
     * a base URL the published file names are appended to, so it should end with {@code /}.
     *
     * @param id the data set
     * @param baseUrls the mirrors, tried in order
     * @return changed options
     */
    public DataOptions withMirrors(ImageDatasetId id, List<URI> baseUrls) {
        Map<ImageDatasetId, List<URI>> changed = new EnumMap<>(ImageDatasetId.class);
        changed.putAll(mirrors);
        changed.put(id, List.copyOf(baseUrls));
        return new DataOptions(dataDir, environmentDataDir, offline, cacheDir, systemDirs, progress,
                downloadSettings, changed);
    }

    /**
     * The explicit data folder.
     *
     * @return the folder, or null when none was given
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The folder from {@value #DATA_DIR_ENV}.
     *
     * @return the folder, or null when the variable is not set
     */
    public Path environmentDataDir() {
        return environmentDataDir;
    }

    /**
     * Whether downloads are forbidden.
     *
     * @return true to never touch the network
     */
    public boolean offline() {
        return offline;
    }

    /**
     * The cache folder.
     *
     * @return where downloads go
     */
    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * The system folders searched after the data folders.
     *
     * @return the folders
     */
    public List<Path> systemDirs() {
        return systemDirs;
    }

    /**
     * Where download progress goes.
     *
     * @return the sink
     */
    public ProgressSink progress() {
        return progress;
    }

    /**
     * Download time-outs, tries and back-off.
     *
     * @return the settings
     */
    public DownloadSettings downloadSettings() {
        return downloadSettings;
    }

    /**
     * The mirrors set with {@link #withMirrors}, if any.
     *
     * @param id the data set
     * @return the replacement mirrors, or null to use the published ones
     */
    List<URI> mirrorOverride(ImageDatasetId id) {
        return mirrors.get(id);
    }

    @Override
    public String toString() {
        return "DataOptions[dataDir=" + dataDir + ", " + DATA_DIR_ENV + "=" + environmentDataDir + ", offline="
                + offline + ", cacheDir=" + cacheDir + ", systemDirs=" + systemDirs + "]";
    }
}
