/**
 * Generated data with a known answer, such as the points of the linear-regression seed.
 */
package io.github.rosettadl.datasets.synthetic;
