package org.jnvmet.model.internal;

import java.nio.file.Path;

/** Child process of {@link CrashSafetyTest}: saves changes in a loop until it is killed. */
public final class CrashingWriter {
    private CrashingWriter() {
    }

    public static void main(String[] args) {
        String sub = "subsystems/nqn.2014-08.org.example:s1";
        ModelStoreImpl store = new ModelStoreImpl(new FakeTarget(),
                new ModelStoreImpl.Options(Path.of(args[0]), false, 1000, true));
        store.start();
        System.out.println("READY");
        System.out.flush();
        for (long i = 0;; i++) {
            long n = i;
            store.edit(e -> {
                e.set(sub + "/attr_serial", "s" + n);
                String ns = sub + "/namespaces/" + (2 + n % 7);
                if (e.exists(ns)) {
                    e.delete(ns);
                } else {
                    e.create(ns);
                    e.set(ns + "/device_path", "ram:" + n + "M" + "/x".repeat((int) (n % 40)));
                }
            });
        }
    }
}
