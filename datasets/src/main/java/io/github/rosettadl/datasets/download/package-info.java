/**
 * Step 1, from a mirror to the cache: resumable HTTP downloads with a progress bar.
 */
package io.github.rosettadl.datasets.download;
