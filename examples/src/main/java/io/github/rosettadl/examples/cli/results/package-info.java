/**
 * The {@code results} command's parts: the planned runs, the stored rows and the generated results page.
 */
package io.github.rosettadl.examples.cli.results;
