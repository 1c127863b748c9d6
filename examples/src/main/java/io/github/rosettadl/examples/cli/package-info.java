/**
 * The {@code rosetta} command line (picocli): one class per command, with their shared options and checks.
 */
package io.github.rosettadl.examples.cli;
