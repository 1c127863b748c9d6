/**
 * The {@code bench} command's parts: the step clock, process statistics and the JSON line it prints.
 */
package io.github.rosettadl.examples.cli.bench;
