/**
 * Passthru device factories: Linux NVMe controller character devices ({@code /dev/nvmeN}, through jnr-ffi ioctls)
 * and jnvmet's emulated controller ({@code emulated:NAME}). Both are Declarative Services components and plain Java
 * classes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.backend.passthru;
