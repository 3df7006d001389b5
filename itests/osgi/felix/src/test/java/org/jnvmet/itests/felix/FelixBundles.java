package org.jnvmet.itests.felix;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.ops4j.pax.exam.Option;

/**
 * The bundles of a bare Felix runtime for jnvmet, taken from the test class path as jar files: in a reactor build
 * that is each module's freshly packaged jar, so nothing has to be installed into the local repository first.
 */
final class FelixBundles {
    /** Karaf's logging API (SLF4J 1.7 and 2.0); without a backend it prints to stdout. Started first. */
    private static final String LOGGING = "pax-logging-api";
    private static final String[] RUNTIME = {
        "org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component", "org.apache.felix.scr",
        "org.apache.felix.configadmin", "org.apache.aries.jmx.whiteboard", "org.apache.felix.healthcheck.api"};
    private static final String[] THIRD_PARTY = {
        "netty-common", "netty-buffer", "netty-resolver", "netty-transport", "netty-codec-base", "netty-handler",
        "netty-transport-native-unix-common", "netty-transport-classes-epoll", "netty-transport-native-epoll:linux-x86_64",
        "jackson-annotations", "jackson-core", "jackson-databind",
        // jnr-ffi for passthru: jffi, jnr-x86asm and jnr-a64asm wrapped as bundles (features/wrappers), jffi's
        // native libraries as a fragment of the wrapped jffi (osgi-stack.md traps 1-2)
        "asm", "asm-tree", "asm-analysis", "asm-commons", "asm-util", "jnvmet-wrap-jnr-x86asm",
        "jnvmet-wrap-jnr-a64asm", "jnvmet-wrap-jffi", "jffi:native", "jnr-ffi"};
    static final String[] JNVMET = {
        "jnvmet-protocol", "jnvmet-api", "jnvmet-core", "jnvmet-transport-tcp", "jnvmet-transport-loop",
        "jnvmet-backend-ns", "jnvmet-backend-passthru", "jnvmet-model", "jnvmet-accounting", "jnvmet-management",
        "jnvmet-host", "jnvmet-itests-support"};

    private FelixBundles() {
    }

    static Option all() {
        List<Option> options = new ArrayList<>();
        options.add(bundle(jar(LOGGING)).startLevel(1));
        for (String[] group : List.of(RUNTIME, THIRD_PARTY, JNVMET)) {
            for (String a : group) {
                // A native-library jar is a fragment of its Java bundle: installed, never started.
                boolean fragment = a.contains(":");
                options.add(bundle(jar(a)).startLevel(2).start(!fragment));
            }
        }
        return composite(options.toArray(Option[]::new));
    }

    /** The file URL of {@code artifactId[:classifier]} on the test class path. */
    static String jar(String coordinate) {
        String[] parts = coordinate.split(":");
        String artifactId = parts[0];
        String classifier = parts.length > 1 ? parts[1] : null;
        Pattern name = Pattern.compile(Pattern.quote(artifactId) + "-\\d[\\w.]*(?:-SNAPSHOT)?"
                + (classifier == null ? "" : "-" + Pattern.quote(classifier)) + "\\.jar");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : cp.split(File.pathSeparator)) {
            File f = new File(entry);
            if (f.isFile() && name.matcher(f.getName()).matches()) {
                return f.toURI().toString();
            }
        }
        throw new IllegalStateException(coordinate + " is not a jar on the test class path (run `mvn verify`, "
                + "which packages the reactor's bundles, rather than the IDE's class folders)");
    }
}
