package org.jnvmet.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.UUID;
import org.jnvmet.protocol.fabrics.ConnectCommand;
import org.jnvmet.protocol.fabrics.ConnectData;
import org.jnvmet.protocol.fabrics.PropertyGetCommand;
import org.jnvmet.protocol.fabrics.PropertySetCommand;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.DatasetManagement;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.GetLogPageCommand;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.ReadWriteCommand;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;

/**
 * Builders of well-formed submission queue entries, for {@link CommandQueue#submit} and for tests that start from
 * a valid command and break one field. Every entry has PSDT = 01b (SGL, metadata in one buffer), which fabrics
 * require; CID and DPTR are left zero for the queue and transport to fill. The {@code fill} variants write into a
 * caller's 64-byte buffer (index 0), the others return a new heap buffer.
 */
public final class Commands {
    private Commands() {
    }

    /** A zeroed SQE with only opcode, PSDT and NSID set. */
    public static ByteBuf sqe(int opcode, int nsid) {
        ByteBuf sqe = Unpooled.buffer(SubmissionQueueEntry.SIZE, SubmissionQueueEntry.SIZE);
        sqe.writeZero(SubmissionQueueEntry.SIZE);
        fillHeader(sqe, opcode, nsid);
        return sqe;
    }

    /** Zeroes the SQE and sets opcode, PSDT and NSID. */
    public static void fillHeader(ByteBuf sqe, int opcode, int nsid) {
        sqe.setZero(0, SubmissionQueueEntry.SIZE);
        SubmissionQueueEntry.setOpcode(sqe, opcode);
        SubmissionQueueEntry.setFlags(sqe, SubmissionQueueEntry.FLAGS_PSDT_SGL_MPTR_CONTIG);
        SubmissionQueueEntry.setNsid(sqe, nsid);
    }

    // ---------------------------------------------------------------- fabrics

    public static ByteBuf connect(int qid, int sqsize, int cattr, long katoMillis) {
        ByteBuf sqe = sqe(AdminOpcode.FABRICS, 0);
        ConnectCommand.set(sqe, qid, sqsize, cattr, katoMillis);
        return sqe;
    }

    /** The 1024-byte Connect data. */
    public static ByteBuf connectData(UUID hostId, int cntlid, String subnqn, String hostnqn) {
        ByteBuf data = Unpooled.buffer(ConnectData.SIZE, ConnectData.SIZE);
        data.writeZero(ConnectData.SIZE);
        ConnectData.set(data, hostId, cntlid, subnqn, hostnqn);
        return data;
    }

    public static void fillPropertyGet(ByteBuf sqe, int offset, boolean eightBytes) {
        fillHeader(sqe, AdminOpcode.FABRICS, 0);
        PropertyGetCommand.set(sqe, offset, eightBytes);
    }

    public static ByteBuf propertyGet(int offset, boolean eightBytes) {
        ByteBuf sqe = sqe(AdminOpcode.FABRICS, 0);
        fillPropertyGet(sqe, offset, eightBytes);
        return sqe;
    }

    public static void fillPropertySet(ByteBuf sqe, int offset, long value, boolean eightBytes) {
        fillHeader(sqe, AdminOpcode.FABRICS, 0);
        PropertySetCommand.set(sqe, offset, value, eightBytes);
    }

    public static ByteBuf propertySet(int offset, long value, boolean eightBytes) {
        ByteBuf sqe = sqe(AdminOpcode.FABRICS, 0);
        fillPropertySet(sqe, offset, value, eightBytes);
        return sqe;
    }

    // ---------------------------------------------------------------- admin

    public static void fillIdentify(ByteBuf sqe, int cns, int nsid) {
        fillHeader(sqe, AdminOpcode.IDENTIFY, nsid);
        IdentifyCommand.set(sqe, cns, nsid, 0);
    }

    public static ByteBuf identify(int cns, int nsid) {
        ByteBuf sqe = sqe(AdminOpcode.IDENTIFY, nsid);
        fillIdentify(sqe, cns, nsid);
        return sqe;
    }

    public static void fillGetLogPage(ByteBuf sqe, int lid, int nsid, int length, long offset, boolean rae) {
        fillHeader(sqe, AdminOpcode.GET_LOG_PAGE, nsid);
        GetLogPageCommand.set(sqe, lid, nsid, length, offset, rae);
    }

    public static ByteBuf getLogPage(int lid, int nsid, int length, long offset, boolean rae) {
        ByteBuf sqe = sqe(AdminOpcode.GET_LOG_PAGE, nsid);
        fillGetLogPage(sqe, lid, nsid, length, offset, rae);
        return sqe;
    }

    public static void fillGetFeatures(ByteBuf sqe, int fid, int cdw11) {
        fillHeader(sqe, AdminOpcode.GET_FEATURES, 0);
        FeaturesCommand.setGet(sqe, fid, cdw11);
    }

    public static ByteBuf getFeatures(int fid, int cdw11) {
        ByteBuf sqe = sqe(AdminOpcode.GET_FEATURES, 0);
        fillGetFeatures(sqe, fid, cdw11);
        return sqe;
    }

    public static void fillSetFeatures(ByteBuf sqe, int fid, int cdw11) {
        fillHeader(sqe, AdminOpcode.SET_FEATURES, 0);
        FeaturesCommand.setSet(sqe, fid, cdw11);
    }

    public static ByteBuf setFeatures(int fid, int cdw11) {
        ByteBuf sqe = sqe(AdminOpcode.SET_FEATURES, 0);
        fillSetFeatures(sqe, fid, cdw11);
        return sqe;
    }

    public static ByteBuf keepAlive() {
        return sqe(AdminOpcode.KEEP_ALIVE, 0);
    }

    public static ByteBuf asyncEventRequest() {
        return sqe(AdminOpcode.ASYNC_EVENT_REQUEST, 0);
    }

    // ---------------------------------------------------------------- NVM I/O

    /** Read, Write or Compare of {@code blocks} (1..65536) blocks at {@code slba}. */
    public static void fillReadWrite(ByteBuf sqe, int opcode, int nsid, long slba, int blocks, boolean fua) {
        fillHeader(sqe, opcode, nsid);
        ReadWriteCommand.set(sqe, opcode, nsid, slba, blocks, fua);
    }

    public static ByteBuf read(int nsid, long slba, int blocks) {
        ByteBuf sqe = sqe(NvmOpcode.READ, nsid);
        fillReadWrite(sqe, NvmOpcode.READ, nsid, slba, blocks, false);
        return sqe;
    }

    public static ByteBuf write(int nsid, long slba, int blocks, boolean fua) {
        ByteBuf sqe = sqe(NvmOpcode.WRITE, nsid);
        fillReadWrite(sqe, NvmOpcode.WRITE, nsid, slba, blocks, fua);
        return sqe;
    }

    public static ByteBuf flush(int nsid) {
        return sqe(NvmOpcode.FLUSH, nsid);
    }

    public static void fillWriteZeroes(ByteBuf sqe, int nsid, long slba, int blocks, boolean deallocate) {
        fillReadWrite(sqe, NvmOpcode.WRITE_ZEROES, nsid, slba, blocks, false);
        if (deallocate) {
            sqe.setIntLE(SubmissionQueueEntry.CDW12,
                    sqe.getIntLE(SubmissionQueueEntry.CDW12) | ReadWriteCommand.CDW12_DEAC);
        }
    }

    /** Dataset Management with {@code ranges} (1..256) ranges and attributes (e.g. {@link DatasetManagement#ATTR_AD}). */
    public static void fillDatasetManagement(ByteBuf sqe, int nsid, int ranges, int attributes) {
        if (ranges < 1 || ranges > DatasetManagement.MAX_RANGES) {
            throw new IllegalArgumentException("ranges " + ranges);
        }
        fillHeader(sqe, NvmOpcode.DATASET_MANAGEMENT, nsid);
        sqe.setIntLE(SubmissionQueueEntry.CDW10, ranges - 1);
        sqe.setIntLE(SubmissionQueueEntry.CDW11, attributes);
    }
}
