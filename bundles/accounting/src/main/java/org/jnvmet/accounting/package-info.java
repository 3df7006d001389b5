/**
 * Read side of jnvmet's block I/O accounting: /proc/diskstats-shaped snapshots, per-host and per-controller
 * breakdowns, latency histograms and the JMX view. The write side is {@link org.jnvmet.spi.accounting.IoAccounting}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.accounting;
