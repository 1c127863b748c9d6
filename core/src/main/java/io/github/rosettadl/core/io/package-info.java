/**
 * Files written whole or not at all: a reader never sees half of one.
 */
package io.github.rosettadl.core.io;
