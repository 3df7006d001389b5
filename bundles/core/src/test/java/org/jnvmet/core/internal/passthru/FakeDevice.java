package org.jnvmet.core.internal.passthru;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.passthru.DeviceCompletion;
import org.jnvmet.spi.passthru.DeviceEventListener;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.QueueLimits;

/** A scripted device: {@code behaviour} writes any read data and returns {status, result}. Completes inline. */
final class FakeDevice implements NvmeDevice {
    record Submitted(boolean admin, int opcode, int length, int timeoutMs) {
    }

    final List<Submitted> submitted = new ArrayList<>();
    BiFunction<ByteBuf, ByteBuf, long[]> behaviour = (sqe, data) -> new long[] {0, 0};

    @Override
    public String devicePath() {
        return "/dev/fake0";
    }

    @Override
    public String name() {
        return "fake0";
    }

    @Override
    public int instance() {
        return 0;
    }

    @Override
    public int version() {
        return 0x00010300;
    }

    @Override
    public boolean multipleCommandSets() {
        return false;
    }

    @Override
    public QueueLimits queueLimits() {
        return QueueLimits.of(128, 33);
    }

    @Override
    public void submitAdmin(ByteBuf sqe, ByteBuf data, int length, int timeoutMs, DeviceCompletion completion) {
        run(true, sqe, data, length, timeoutMs, completion);
    }

    @Override
    public void submitIo(ByteBuf sqe, ByteBuf data, int length, int timeoutMs, DeviceCompletion completion) {
        run(false, sqe, data, length, timeoutMs, completion);
    }

    private void run(boolean admin, ByteBuf sqe, ByteBuf data, int length, int timeoutMs, DeviceCompletion c) {
        submitted.add(new Submitted(admin, SubmissionQueueEntry.opcode(sqe), length, timeoutMs));
        long[] r = behaviour.apply(sqe, data);
        c.complete((int) r[0], r[1]);
    }

    @Override
    public void addEventListener(DeviceEventListener listener) {
    }

    @Override
    public void removeEventListener(DeviceEventListener listener) {
    }

    @Override
    public boolean isRemoved() {
        return false;
    }

    @Override
    public void close() {
    }
}
