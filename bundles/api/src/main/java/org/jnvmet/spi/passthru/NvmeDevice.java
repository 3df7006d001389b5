package org.jnvmet.spi.passthru;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * A whole local NVMe controller that a passthru subsystem exports: the role of the {@code struct nvme_ctrl} the
 * Linux target takes from {@code passthru/device_path}. Commands are submitted as raw 64-byte submission queue
 * entries and complete asynchronously on the device's own threads; the submitter's thread (a transport event
 * loop) never blocks.
 *
 * <p>Data: the direction follows the opcode's bit 0 (NVMe Base 2.0, Figure 138), as in the Linux driver. For a
 * host-to-controller opcode (bit 0 set, including the rare bidirectional ones) the device sends {@code length} bytes
 * of {@code data} starting at its reader index, which it leaves unchanged. Otherwise it writes {@code length} bytes
 * at the writer index and, on success, advances the writer index by {@code length}. {@code data} may be null when
 * {@code length} is 0. The device neither retains nor releases {@code sqe} or {@code data}; both must stay valid
 * until the completion is called. Metadata pointers are not supported (the target never transfers metadata).
 *
 * <p>Fields of the SQE that describe memory (MPTR, DPTR) are ignored: the device supplies its own buffer addresses.
 * The command identifier is the device's business too. Everything else (opcode, flags, NSID, CDW2/3, CDW10-15) is
 * sent as given: policy about what may reach the device belongs to the caller.
 */
public interface NvmeDevice extends AutoCloseable {
    /** The device_path this device was opened from, as configured (before following symlinks). */
    String devicePath();

    /**
     * A name unique among the controllers of this machine, e.g. {@code nvme0} or {@code emulated:demo}: two opens of
     * the same controller (through different paths or symlinks) give the same name, so a target can refuse to
     * export one controller from two subsystems (Linux keys this on the controller instance).
     */
    String name();

    /** The controller instance number (N of /dev/nvmeN), or -1 for controllers without one. */
    int instance();

    /**
     * The controller's version (VS register encoding, Identify Controller VER); 0 when the controller reports none
     * (before NVMe 1.2). A target raises it to at least 1.2.1.
     */
    int version();

    /**
     * Whether the controller runs with more than the NVM command set enabled (CAP.CSS bit 6 and CC.CSS 110b), so a
     * passthru target may keep CAP bit 43.
     */
    boolean multipleCommandSets();

    QueueLimits queueLimits();

    /**
     * Submits an admin command.
     *
     * @param timeoutMs 0 for the driver's default (Linux: 60 s admin)
     */
    void submitAdmin(ByteBuf sqe, ByteBuf data, int length, int timeoutMs, DeviceCompletion completion);

    /**
     * Submits an I/O command to the namespace named by the SQE's NSID. A namespace the controller does not have
     * completes with Invalid Namespace or Format | DNR.
     *
     * @param timeoutMs 0 for the driver's default (Linux: 30 s I/O)
     */
    void submitIo(ByteBuf sqe, ByteBuf data, int length, int timeoutMs, DeviceCompletion completion);

    /** {@link #submitAdmin(ByteBuf, ByteBuf, int, int, DeviceCompletion)} with a future. */
    default CompletableFuture<DeviceResult> submitAdmin(ByteBuf sqe, ByteBuf data, int length, int timeoutMs) {
        CompletableFuture<DeviceResult> f = new CompletableFuture<>();
        submitAdmin(sqe, data, length, timeoutMs, (status, result) -> f.complete(new DeviceResult(status, result)));
        return f;
    }

    /** {@link #submitIo(ByteBuf, ByteBuf, int, int, DeviceCompletion)} with a future. */
    default CompletableFuture<DeviceResult> submitIo(ByteBuf sqe, ByteBuf data, int length, int timeoutMs) {
        CompletableFuture<DeviceResult> f = new CompletableFuture<>();
        submitIo(sqe, data, length, timeoutMs, (status, result) -> f.complete(new DeviceResult(status, result)));
        return f;
    }

    void addEventListener(DeviceEventListener listener);

    void removeEventListener(DeviceEventListener listener);

    /** Whether the controller has gone away (every command now fails with ENODEV). */
    boolean isRemoved();

    /**
     * Releases the device. Commands still in flight complete (possibly with an errno); commands submitted after
     * close fail with EBADF. Idempotent.
     */
    @Override
    void close();
}
