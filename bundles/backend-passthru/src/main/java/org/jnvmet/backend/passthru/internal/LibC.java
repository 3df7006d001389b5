package org.jnvmet.backend.passthru.internal;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.types.u_int64_t;

/** The few libc functions the character device backend needs, bound through jnr-ffi by {@link Native}. */
public interface LibC {
    int O_RDONLY = 0;
    int O_RDWR = 2;

    @SaveError
    int open(@In String path, int flags);

    @SaveError
    int close(int fd);

    /** {@code int ioctl(int fd, unsigned long request, ...)} with one pointer argument passed as an address. */
    @SaveError
    @Variadic(fixedCount = 2)
    int ioctl(int fd, @u_int64_t long request, @u_int64_t long argp);

    String strerror(int errnum);
}
