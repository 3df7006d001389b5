/**
 * The {@code nvmet:*} commands for Apache Felix Gogo (plain Felix without Karaf): DS components registered with
 * {@code osgi.command.scope}/{@code osgi.command.function} properties, delegating to the logic in
 * {@code org.jnvmet.shell}. Not for Karaf, whose shell would list these next to the Karaf commands.
 */
package org.jnvmet.shell.gogo.internal;
