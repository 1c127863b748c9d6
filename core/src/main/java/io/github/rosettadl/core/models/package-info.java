/**
 * The seed models as DJL blocks, each built from a {@link
 * io.github.rosettadl.core.models.ModelSpec} record that a checkpoint can store.
 */
package io.github.rosettadl.core.models;
