package org.jnvmet.host;

import java.time.Duration;
import java.util.Objects;

/**
 * How to connect to one subsystem, in the terms of nvme-cli's connect options.
 *
 * @param subsystemNqn    the subsystem to connect to ({@code --nqn})
 * @param ioQueues        I/O queues to create ({@code --nr-io-queues}); fewer if the controller grants fewer
 * @param ioQueueSize     entries per I/O queue ({@code --queue-size}); Connect SQSIZE is one less
 * @param adminQueueSize  admin queue entries (Linux: 32)
 * @param katoMillis      keep-alive timeout sent in the admin Connect ({@code --keep-alive-tmo}, in ms); 0 for none
 * @param disableSqFlow   ask the controller to disable SQ flow control ({@code --disable-sqflow})
 * @param keepAlive       send Keep Alive commands every KATO/2 (turn off to let the controller's timer expire)
 * @param commandTimeout  how long synchronous calls wait for a completion
 */
public record ConnectOptions(String subsystemNqn, int ioQueues, int ioQueueSize, int adminQueueSize, int katoMillis,
        boolean disableSqFlow, boolean keepAlive, Duration commandTimeout) {

    /** Linux host defaults: queue size 128, admin queue 32, KATO 5 s. */
    public static final int DEFAULT_IO_QUEUE_SIZE = 128;
    public static final int DEFAULT_ADMIN_QUEUE_SIZE = 32;
    public static final int DEFAULT_KATO_MILLIS = 5000;
    /** Fabrics queues may be larger than PCIe ones, but Connect SQSIZE is 16 bits (0's based). */
    public static final int MAX_QUEUE_SIZE = 65536;

    public ConnectOptions {
        Objects.requireNonNull(subsystemNqn, "subsystemNqn");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (ioQueues < 0 || ioQueues > 0xFFFE) {
            throw new IllegalArgumentException("ioQueues " + ioQueues);
        }
        if (ioQueueSize < 2 || ioQueueSize > MAX_QUEUE_SIZE) {
            throw new IllegalArgumentException("ioQueueSize " + ioQueueSize + " not in 2.." + MAX_QUEUE_SIZE);
        }
        if (adminQueueSize < 2 || adminQueueSize > 4096) {
            throw new IllegalArgumentException("adminQueueSize " + adminQueueSize + " not in 2..4096");
        }
        if (katoMillis < 0) {
            throw new IllegalArgumentException("katoMillis " + katoMillis);
        }
    }

    /** One I/O queue and the Linux host's defaults. */
    public static ConnectOptions of(String subsystemNqn) {
        return new ConnectOptions(subsystemNqn, 1, DEFAULT_IO_QUEUE_SIZE, DEFAULT_ADMIN_QUEUE_SIZE,
                DEFAULT_KATO_MILLIS, false, true, Duration.ofSeconds(30));
    }

    public ConnectOptions withIoQueues(int count, int size) {
        return new ConnectOptions(subsystemNqn, count, size, adminQueueSize, katoMillis, disableSqFlow, keepAlive,
                commandTimeout);
    }

    public ConnectOptions withAdminQueueSize(int size) {
        return new ConnectOptions(subsystemNqn, ioQueues, ioQueueSize, size, katoMillis, disableSqFlow, keepAlive,
                commandTimeout);
    }

    public ConnectOptions withKato(int millis, boolean sendKeepAlives) {
        return new ConnectOptions(subsystemNqn, ioQueues, ioQueueSize, adminQueueSize, millis, disableSqFlow,
                sendKeepAlives, commandTimeout);
    }

    public ConnectOptions withDisableSqFlow(boolean disable) {
        return new ConnectOptions(subsystemNqn, ioQueues, ioQueueSize, adminQueueSize, katoMillis, disable,
                keepAlive, commandTimeout);
    }

    public ConnectOptions withCommandTimeout(Duration timeout) {
        return new ConnectOptions(subsystemNqn, ioQueues, ioQueueSize, adminQueueSize, katoMillis, disableSqFlow,
                keepAlive, timeout);
    }

    public ConnectOptions withSubsystem(String nqn) {
        return new ConnectOptions(nqn, ioQueues, ioQueueSize, adminQueueSize, katoMillis, disableSqFlow, keepAlive,
                commandTimeout);
    }
}
