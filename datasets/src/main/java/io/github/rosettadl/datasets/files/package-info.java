/**
 * Step 2, checking what is on disk: checksums of published files and safe extraction of archives.
 */
package io.github.rosettadl.datasets.files;
