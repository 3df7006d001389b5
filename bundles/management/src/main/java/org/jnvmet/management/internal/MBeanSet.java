package org.jnvmet.management.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import javax.management.ObjectName;

/**
 * The registered MBeans of one kind, keyed like the snapshot: {@link #sync} registers new keys, updates the beans of
 * known ones in place (no re-registration, so JMX clients keep their names) and unregisters the gone. Not
 * thread-safe; its owner serialises calls.
 *
 * @param <K> key in the snapshot (port ID, subsystem NQN, controller)
 * @param <V> the snapshot's value for a key
 * @param <B> the bean
 */
final class MBeanSet<K, V, B> {
    private record Registered<B>(B bean, Object handle) {
    }

    private final MBeanRegistrar registrar;
    private final Class<? super B> type;
    private final Function<K, ObjectName> naming;
    private final Function<V, B> create;
    private final BiConsumer<B, V> update;
    private final Map<K, Registered<B>> registered = new HashMap<>();

    MBeanSet(MBeanRegistrar registrar, Class<? super B> type, Function<K, ObjectName> naming, Function<V, B> create,
            BiConsumer<B, V> update) {
        this.registrar = registrar;
        this.type = type;
        this.naming = naming;
        this.create = create;
        this.update = update;
    }

    void sync(Map<K, V> current) {
        for (Iterator<Map.Entry<K, Registered<B>>> it = registered.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, Registered<B>> e = it.next();
            if (!current.containsKey(e.getKey())) {
                registrar.unregister(e.getValue().handle());
                it.remove();
            }
        }
        current.forEach((key, value) -> {
            Registered<B> r = registered.get(key);
            if (r != null) {
                update.accept(r.bean(), value);
                return;
            }
            B bean = create.apply(value);
            Object handle = register(naming.apply(key), bean);
            if (handle != null) {
                registered.put(key, new Registered<>(bean, handle));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private Object register(ObjectName name, B bean) {
        return registrar.register(name, (Class<B>) type, bean);
    }

    int size() {
        return registered.size();
    }

    void clear() {
        registered.values().forEach(r -> registrar.unregister(r.handle()));
        registered.clear();
    }
}
