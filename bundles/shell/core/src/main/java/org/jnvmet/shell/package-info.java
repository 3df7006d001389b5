/**
 * The logic of jnvmet's {@code nvmet:*} shell commands, free of any shell API: configuration commands over the
 * {@link org.jnvmet.model.ModelStore}, accounting reports and the connections listing. Results are {@link Output}s
 * that the Karaf and Gogo command bundles render.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.shell;
