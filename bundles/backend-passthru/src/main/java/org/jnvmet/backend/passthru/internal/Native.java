package org.jnvmet.backend.passthru.internal;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** libc through jnr-ffi, loaded once; {@link #libc()} fails with the cause when jnr-ffi cannot bind it here. */
public final class Native {
    private static final LibC LIBC;
    private static final Throwable FAILURE;

    static {
        LibC lib = null;
        Throwable failure = null;
        try {
            lib = LibraryLoader.create(LibC.class).option(LibraryOption.LoadNow, true).load("c");
        } catch (Throwable t) { // UnsatisfiedLinkError or a jffi stub missing for this platform
            failure = t;
        }
        LIBC = lib;
        FAILURE = failure;
    }

    private Native() {
    }

    public static boolean isAvailable() {
        return LIBC != null;
    }

    public static LibC libc() {
        if (LIBC == null) {
            throw new UnsupportedOperationException("libc is not available through jnr-ffi: " + FAILURE, FAILURE);
        }
        return LIBC;
    }

    public static Runtime runtime() {
        return Runtime.getRuntime(libc());
    }

    /** errno of the last call this thread made through a {@code @SaveError} method. */
    public static int lastErrno() {
        return runtime().getLastError();
    }

    /** Native memory of {@code size} bytes, zeroed, freed when unreachable. */
    public static Pointer allocate(int size) {
        return Memory.allocateDirect(runtime(), size, true);
    }

    /** "ENOTTY (Inappropriate ioctl for device)". */
    public static String describe(int errno) {
        String text = null;
        if (LIBC != null) {
            try {
                text = LIBC.strerror(Math.abs(errno));
            } catch (RuntimeException e) {
                text = null;
            }
        }
        return Errno.name(errno) + (text == null ? "" : " (" + text + ")");
    }
}
