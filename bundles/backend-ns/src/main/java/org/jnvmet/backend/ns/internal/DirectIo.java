package org.jnvmet.backend.ns.internal;

import java.nio.file.OpenOption;

/**
 * O_DIRECT as a Java open option ({@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, module jdk.unsupported). The
 * bundle imports com.sun.nio.file optionally: a framework that does not export it gets buffered I/O, not a failure.
 */
final class DirectIo {
    /** The option, or null when this runtime does not offer it. */
    static final OpenOption DIRECT = load();

    private DirectIo() {
    }

    private static OpenOption load() {
        try {
            return com.sun.nio.file.ExtendedOpenOption.DIRECT;
        } catch (LinkageError e) {
            return null;
        }
    }
}
