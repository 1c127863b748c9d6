/**
 * Step 4, a data set in memory: {@link io.github.rosettadl.datasets.source.ImageDatasets} finds it in a folder, the cache or a download, checks it and reads it into splits.
 */
package io.github.rosettadl.datasets.source;
