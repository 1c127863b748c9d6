/**
 * Text for the character model: a corpus, its alphabet and windows of characters as batches.
 */
package io.github.rosettadl.datasets.text;
