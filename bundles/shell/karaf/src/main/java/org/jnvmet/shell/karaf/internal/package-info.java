/**
 * The {@code nvmet:*} commands for the Apache Karaf shell: one thin {@link org.apache.karaf.shell.api.action.Action}
 * per command over the logic in {@code org.jnvmet.shell}, plus completers for paths, NQNs, port ids, attribute names
 * and accounting devices.
 */
package org.jnvmet.shell.karaf.internal;
