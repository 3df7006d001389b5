package org.jnvmet.backend.passthru.emulated;

import static org.jnvmet.protocol.nvme.Status.DNR;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.jnvmet.protocol.nvme.DatasetManagement;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.ReadWriteCommand;
import org.jnvmet.protocol.nvme.Status;

/** The NVM I/O command set of the emulated controller, plus two vendor specific commands. */
final class IoCommands {
    /** Vendor specific I/O commands: 81h stores host data in the namespace, 82h returns it byte-reversed. */
    static final int VENDOR_STORE = 0x81;
    static final int VENDOR_FETCH = 0x82;
    static final int[] READ_ONLY_OPCODES = {NvmOpcode.FLUSH, NvmOpcode.READ, NvmOpcode.COMPARE, VENDOR_FETCH};
    static final int[] WRITING_OPCODES = {NvmOpcode.WRITE, NvmOpcode.WRITE_ZEROES, NvmOpcode.DATASET_MANAGEMENT,
            VENDOR_STORE};

    private final EmulatedNvmeController ctrl;

    IoCommands(EmulatedNvmeController ctrl) {
        this.ctrl = ctrl;
    }

    int execute(Command c) {
        int nsid = c.nsid();
        if (c.opcode() == NvmOpcode.FLUSH && nsid == -1) {
            return Status.SUCCESS; // flush of all namespaces: RAM has no cache
        }
        EmulatedNamespace ns = ctrl.namespace(nsid);
        if (ns == null) {
            return Status.INVALID_NS | DNR;
        }
        return switch (c.opcode()) {
            case NvmOpcode.FLUSH -> Status.SUCCESS;
            case NvmOpcode.READ -> read(c, ns);
            case NvmOpcode.WRITE -> write(c, ns);
            case NvmOpcode.COMPARE -> compare(c, ns);
            case NvmOpcode.WRITE_ZEROES -> writeZeroes(c, ns);
            case NvmOpcode.DATASET_MANAGEMENT -> datasetManagement(c, ns);
            case VENDOR_STORE -> vendorStore(c, ns);
            case VENDOR_FETCH -> vendorFetch(c, ns);
            default -> Status.INVALID_OPCODE | DNR;
        };
    }

    /** Checks the LBA range and the transfer length of a read, write or compare; 0 when fine. */
    private static int checkTransfer(Command c, EmulatedNamespace ns) {
        long slba = ReadWriteCommand.slba(c.sqe);
        int nlb = ReadWriteCommand.blocks(c.sqe);
        if (!ns.inRange(slba, nlb)) {
            return Status.LBA_RANGE | DNR;
        }
        if ((long) nlb << ns.blockShift() != c.length) {
            return Status.INVALID_FIELD | DNR;
        }
        return 0;
    }

    private int read(Command c, EmulatedNamespace ns) {
        int st = checkTransfer(c, ns);
        if (st != 0) {
            return st;
        }
        ns.store.read(ReadWriteCommand.slba(c.sqe) << ns.blockShift(), c.data, c.outIndex(), c.length);
        ctrl.logs().countRead(c.length);
        return Status.SUCCESS;
    }

    private int write(Command c, EmulatedNamespace ns) {
        int st = checkTransfer(c, ns);
        if (st != 0) {
            return st;
        }
        ns.store.write(ReadWriteCommand.slba(c.sqe) << ns.blockShift(), c.data, c.inIndex(), c.length);
        ctrl.logs().countWrite(c.length);
        return Status.SUCCESS;
    }

    private int compare(Command c, EmulatedNamespace ns) {
        int st = checkTransfer(c, ns);
        if (st != 0) {
            return st;
        }
        ByteBuf stored = Unpooled.buffer(c.length, c.length);
        ns.store.read(ReadWriteCommand.slba(c.sqe) << ns.blockShift(), stored, 0, c.length);
        stored.writerIndex(c.length);
        boolean equal = ByteBufUtil.equals(stored, 0, c.data, c.inIndex(), c.length);
        return equal ? Status.SUCCESS : Status.COMPARE_FAILED;
    }

    private int writeZeroes(Command c, EmulatedNamespace ns) {
        long slba = ReadWriteCommand.slba(c.sqe);
        int nlb = ReadWriteCommand.blocks(c.sqe);
        if (!ns.inRange(slba, nlb)) {
            return Status.LBA_RANGE | DNR;
        }
        ns.store.zero(slba << ns.blockShift(), (long) nlb << ns.blockShift());
        return Status.SUCCESS;
    }

    private int datasetManagement(Command c, EmulatedNamespace ns) {
        int ranges = DatasetManagement.ranges(c.sqe);
        if (c.length < ranges * DatasetManagement.RANGE_SIZE) {
            return Status.INVALID_FIELD | DNR;
        }
        boolean deallocate = (DatasetManagement.attributes(c.sqe) & DatasetManagement.ATTR_AD) != 0;
        int base = c.inIndex();
        for (int i = 0; i < ranges; i++) {
            int off = base + i * DatasetManagement.RANGE_SIZE;
            long nlb = c.data.getUnsignedIntLE(off + DatasetManagement.RANGE_NLB);
            long slba = c.data.getLongLE(off + DatasetManagement.RANGE_SLBA);
            if (!ns.inRange(slba, nlb)) {
                return Status.LBA_RANGE | DNR;
            }
        }
        if (deallocate) {
            for (int i = 0; i < ranges; i++) {
                int off = base + i * DatasetManagement.RANGE_SIZE;
                long nlb = c.data.getUnsignedIntLE(off + DatasetManagement.RANGE_NLB);
                long slba = c.data.getLongLE(off + DatasetManagement.RANGE_SLBA);
                ns.store.zero(slba << ns.blockShift(), nlb << ns.blockShift());
            }
        }
        return Status.SUCCESS;
    }

    private static int vendorStore(Command c, EmulatedNamespace ns) {
        byte[] in = c.in();
        ns.vendorScratch = in;
        c.result = AdminCommands.crc32c(in);
        return Status.SUCCESS;
    }

    private static int vendorFetch(Command c, EmulatedNamespace ns) {
        byte[] scratch = ns.vendorScratch;
        byte[] out = new byte[scratch.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = scratch[scratch.length - 1 - i];
        }
        c.out(out);
        c.result = scratch.length;
        return Status.SUCCESS;
    }
}
