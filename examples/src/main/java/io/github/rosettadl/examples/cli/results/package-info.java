/**
 * The {@code results} command's parts: the planned runs, the stored rows, the generated results page and
 * the generated result blocks of the example pages.
 */
package io.github.rosettadl.examples.cli.results;
