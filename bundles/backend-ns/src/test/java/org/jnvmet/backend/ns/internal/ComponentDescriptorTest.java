package org.jnvmet.backend.ns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** What SCR will see: the descriptors bnd generated into target/classes before the tests run. */
class ComponentDescriptorTest {
    @ParameterizedTest
    @CsvSource({"RamBackendFactory,ram,org.jnvmet.backend.ram", "FileBackendFactory,file,org.jnvmet.backend.file",
            "BlockDeviceBackendFactory,bdev,org.jnvmet.backend.bdev"})
    void factoriesAreBlockBackendFactoryServicesWithTheirKind(String simpleName, String kind, String pid)
            throws Exception {
        String name = "org.jnvmet.backend.ns.internal." + simpleName;
        Path xml = classes().resolve("OSGI-INF/" + name + ".xml");
        assertTrue(Files.isRegularFile(xml), xml + " (run through Maven: bnd-maven-plugin writes it)");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element component = doc.getDocumentElement();
        assertEquals(pid, component.getAttribute("configuration-pid"));
        assertEquals("1", component.getAttribute("init"), "constructor injection of the configuration");
        assertEquals("close", component.getAttribute("deactivate"));
        Map<String, String> properties = new HashMap<>();
        NodeList props = doc.getElementsByTagName("property");
        for (int i = 0; i < props.getLength(); i++) {
            Element p = (Element) props.item(i);
            properties.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        assertEquals(kind, properties.get(BlockBackendFactory.BACKEND_PROPERTY));
        Element provide = (Element) doc.getElementsByTagName("provide").item(0);
        assertEquals(BlockBackendFactory.class.getName(), provide.getAttribute("interface"));
        assertTrue(Files.isRegularFile(classes().resolve("OSGI-INF/metatype/" + name + "$Config.xml")));
    }

    private static Path classes() throws IOException {
        try {
            return Path.of(RamBackendFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
