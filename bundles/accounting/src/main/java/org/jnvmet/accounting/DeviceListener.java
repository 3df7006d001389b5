package org.jnvmet.accounting;

/** Told when devices appear in or leave an {@link AccountingService}; calls are serialized and in order. */
public interface DeviceListener {
    void deviceAdded(String device);

    void deviceRemoved(String device);
}
