package org.jnvmet.host;

import org.jnvmet.protocol.nvme.AsyncEventType;

/**
 * A completed Asynchronous Event Request (NVMe Base 2.0, 5.2, Figure 146).
 *
 * @param type     event type ({@link AsyncEventType#NOTICE} etc.)
 * @param info     event information (e.g. {@link AsyncEventType#NOTICE_NAMESPACE_ATTRIBUTE_CHANGED})
 * @param logPage  the log page to read to clear the event
 */
public record AsyncEvent(int type, int info, int logPage) {

    public static AsyncEvent fromResult(int dw0) {
        return new AsyncEvent(AsyncEventType.type(dw0), AsyncEventType.info(dw0), AsyncEventType.logPage(dw0));
    }
}
