package org.jnvmet.itests.support;

import jnr.ffi.LibraryLoader;

/**
 * A libc call through jnr-ffi, the way the passthru bundle reaches the kernel: proves that jnr-ffi, the wrapped
 * jffi with its native fragment, and the wrapped jnr-x86asm/a64asm work in the framework at hand.
 */
public final class NativeCall {
    /** The libc functions used here. */
    public interface LibC {
        int getpid();
    }

    private NativeCall() {
    }

    /** getpid(2) of this JVM, through jnr-ffi. */
    public static long getpid() {
        return LibraryLoader.create(LibC.class).load("c").getpid();
    }
}
