/**
 * Host-side checks shared by the OSGi integration tests: a Java NVMe/TCP host session doing verified I/O, and the
 * deterministic data it writes.
 */
@Export
@Version("0.1.0")
package org.jnvmet.itests.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
