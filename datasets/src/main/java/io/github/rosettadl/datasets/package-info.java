/**
 * The published image data sets by name, and the errors that loading one can raise; start with {@link io.github.rosettadl.datasets.source.ImageDatasets}.
 */
package io.github.rosettadl.datasets;
