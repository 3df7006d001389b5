package org.jnvmet.itests.karaf;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jnvmet.itests.support.FreePort;
import org.ops4j.pax.exam.options.CompositeOption;
import org.ops4j.pax.exam.options.DefaultCompositeOption;

/** A stock Apache Karaf whose Maven resolver also sees the jnvmet .kar's repository. Runs outside the container. */
final class KarafOptions {
    static final String VERSION = System.getProperty("jnvmet.itest.version", "0.1.0-SNAPSHOT");
    static final String FEATURES_REPO = "mvn:org.jnvmet/jnvmet-features/" + VERSION + "/xml/features";
    private static final String PAX_URL = "etc/org.ops4j.pax.url.mvn.cfg";

    private KarafOptions() {
    }

    static Path buildDirectory() {
        return Path.of(System.getProperty("project.build.directory", "target")).toAbsolutePath();
    }

    /**
     * The stock distribution with the kar's repository/ as an extra default repository (checked before the local
     * repository, so a stale installed snapshot never wins), SSH and RMI on free loopback ports.
     */
    static CompositeOption stockKarafWithJnvmetRepository() throws IOException {
        Path repo = unpackKarRepository();
        String defaultRepos = "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                + repo.toUri() + "@id=jnvmet.kar@snapshots";
        String localRepo = System.getProperty("org.ops4j.pax.url.mvn.localRepository");
        return new DefaultCompositeOption(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.apache.karaf", "apache-karaf")
                                .version(System.getProperty("jnvmet.itest.karaf.version", "4.4.10")).type("tar.gz"))
                        .karafVersion(System.getProperty("jnvmet.itest.karaf.version", "4.4.10"))
                        .name("Apache Karaf")
                        .unpackDirectory(buildDirectory().resolve("exam").toFile())
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                editConfigurationFilePut(PAX_URL, "org.ops4j.pax.url.mvn.defaultRepositories", defaultRepos),
                // Only Maven Central, and only for what neither Karaf's system/ nor the local repository holds.
                editConfigurationFilePut(PAX_URL, "org.ops4j.pax.url.mvn.repositories",
                        "https://repo1.maven.org/maven2@id=central"),
                localRepo == null ? new DefaultCompositeOption()
                        : editConfigurationFilePut(PAX_URL, "org.ops4j.pax.url.mvn.localRepository", localRepo),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort",
                        Integer.toString(FreePort.loopback())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort",
                        Integer.toString(FreePort.loopback())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort",
                        Integer.toString(FreePort.loopback())));
    }

    /** Unpacks the jnvmet .kar's repository/ (features XML and every bundle it names) into the build directory. */
    private static Path unpackKarRepository() throws IOException {
        String kar = System.getProperty("jnvmet.itest.kar");
        if (kar == null || !new File(kar).isFile()) {
            throw new IllegalStateException("no jnvmet .kar (system property jnvmet.itest.kar = " + kar + ")");
        }
        Path out = buildDirectory().resolve("jnvmet-kar");
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Path.of(kar)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Path target = out.resolve(e.getName()).normalize();
                if (!target.startsWith(out)) {
                    throw new IOException("entry outside the archive root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    copy(zip, target);
                }
            }
        }
        return out.resolve("repository");
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The support bundle's file URL (installed by the test once the features that it imports are in). */
    static String supportBundle() {
        return new File(System.getProperty("jnvmet.itest.support")).toURI().toString();
    }
}
