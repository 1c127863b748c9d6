/**
 * A training run's report folder: history and metrics as CSV, loss, accuracy and confusion charts, and a summary page.
 */
package io.github.rosettadl.core.report;
