package org.jnvmet.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the model store (PID {@value ModelStoreImpl#PID}). */
@ObjectClassDefinition(name = "jnvmet configuration store",
        description = "Where the target's configuration (nvmetcli JSON format) is kept and how it is reloaded")
public @interface ModelStoreConfig {
    String DEFAULT_FILE = "/etc/nvmet/config.json";

    @AttributeDefinition(name = "Configuration file",
            description = "JSON file in nvmetcli's format; empty: ${jnvmet.home}/config.json when the jnvmet.home "
                    + "system property is set, else /etc/nvmet/config.json")
    String file() default "";

    @AttributeDefinition(name = "Watch the file", description = "Apply edits of the file while running")
    boolean watch() default true;

    @AttributeDefinition(name = "Poll interval (ms)",
            description = "How often the file is checked when the file system sends no change events")
    long pollIntervalMs() default 1000;

    @AttributeDefinition(name = "Strict NQN syntax",
            description = "Require nqn.yyyy-mm.<domain>[:<name>] or nqn.2014-08.org.nvmexpress:uuid:<uuid>; "
                    + "off accepts any name the Linux target accepts")
    boolean strictNqn() default true;
}
