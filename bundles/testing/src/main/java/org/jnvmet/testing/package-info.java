/** Helpers shared by the test suites of the jnvmet bundles (used in test scope only). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jnvmet.testing;
