package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.fabrics.ConnectCommand;
import org.jnvmet.protocol.fabrics.ConnectData;
import org.jnvmet.protocol.fabrics.ConnectResponse;
import org.jnvmet.protocol.fabrics.FabricsCommandType;
import org.jnvmet.protocol.fabrics.PropertyGetCommand;
import org.jnvmet.protocol.fabrics.PropertySetCommand;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.transport.NvmeRequest;

/** Connect, Property Get and Property Set (Linux drivers/nvme/target/fabrics-cmd.c). */
final class FabricsCommands {
    /** Largest admin SQSIZE accepted (0's based): the admin queue holds at most 4096 entries (AQA). */
    static final int MAX_ADMIN_SQSIZE = 4095;

    private FabricsCommands() {
    }

    /** nvmet_parse_connect_cmd: only Connect is allowed on a queue that is not connected yet. */
    static int parseConnect(NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        if (!FabricsCommandType.isFabrics(sqe)) {
            return ctx.fail(Status.INVALID_OPCODE | Status.DNR, ErrorLocation.OPCODE);
        }
        if (FabricsCommandType.fctype(sqe) != FabricsCommandType.CONNECT) {
            return ctx.fail(Status.INVALID_OPCODE | Status.DNR, ErrorLocation.FCTYPE);
        }
        ctx.handler = ConnectCommand.qid(sqe) == 0 ? CommandContext.ADMIN_CONNECT : CommandContext.IO_CONNECT;
        return 0;
    }

    /** nvmet_parse_fabrics_admin_cmd: Property Get/Set on a connected admin queue. */
    static int parseAdmin(NvmeRequest req, CommandContext ctx) {
        int fctype = FabricsCommandType.fctype(req.sqe());
        if (fctype == FabricsCommandType.PROPERTY_SET) {
            ctx.handler = CommandContext.PROPERTY_SET;
            return 0;
        }
        if (fctype == FabricsCommandType.PROPERTY_GET) {
            ctx.handler = CommandContext.PROPERTY_GET;
            return 0;
        }
        return ctx.fail(Status.INVALID_OPCODE | Status.DNR, ErrorLocation.FCTYPE);
    }

    /** Execute-time checks: the transfer length Linux verifies with nvmet_check_transfer_len. */
    static int validate(NvmeRequest req, CommandContext ctx) {
        long expected = ctx.handler == CommandContext.ADMIN_CONNECT || ctx.handler == CommandContext.IO_CONNECT
                ? ConnectData.SIZE : 0;
        return checkLength(req, ctx, expected);
    }

    /** nvmet_check_transfer_len on fabrics, where PSDT always says SGL. */
    static int checkLength(NvmeRequest req, CommandContext ctx, long expected) {
        if (req.transferLength() != expected) {
            return ctx.fail(Status.SGL_INVALID_DATA | Status.DNR, ErrorLocation.DPTR);
        }
        return 0;
    }

    /**
     * For commands whose payload may arrive in a larger buffer than they use (Dataset Management: the Linux host
     * sends its discard ranges in a whole page), as nvmet_check_data_len_lte.
     */
    static int checkLengthAtLeast(NvmeRequest req, CommandContext ctx, long needed) {
        if (req.transferLength() < needed) {
            return ctx.fail(Status.SGL_INVALID_DATA | Status.DNR, ErrorLocation.DPTR);
        }
        return 0;
    }

    static void adminConnect(FabricsQueue queue, NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        ByteBuf d = req.data();
        ByteBuf data = d.slice(d.readerIndex(), ConnectData.SIZE);
        if (ConnectCommand.recfmt(sqe) != 0) {
            req.complete(ctx.fail(Status.CONNECT_FORMAT | Status.DNR, ErrorLocation.RECFMT));
            return;
        }
        if (ConnectData.cntlid(data) != ConnectData.CNTLID_DYNAMIC) {
            req.setResult(ConnectResponse.invalidDataField(ConnectData.CNTLID));
            req.complete(Status.CONNECT_INVALID_PARAM | Status.DNR);
            return;
        }
        queue.engine.connectAdmin(queue, req, ctx, ConnectData.subnqn(data), ConnectData.hostnqn(data),
                ConnectData.hostid(data), ConnectCommand.kato(sqe));
    }

    static void ioConnect(FabricsQueue queue, NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        ByteBuf d = req.data();
        ByteBuf data = d.slice(d.readerIndex(), ConnectData.SIZE);
        if (ConnectCommand.recfmt(sqe) != 0) {
            req.complete(Status.CONNECT_FORMAT | Status.DNR);
            return;
        }
        queue.engine.connectIo(queue, req, ConnectData.subnqn(data), ConnectData.hostnqn(data),
                ConnectData.cntlid(data));
    }

    /**
     * nvmet_install_queue: SQSIZE and QID checks, then binds the queue. Returns the status; the caller still owns
     * its controller reference when it is not 0.
     */
    static int installQueue(Controller c, FabricsQueue queue, NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        int qid = ConnectCommand.qid(sqe);
        int sqsize = ConnectCommand.sqsize(sqe);
        if (sqsize == 0) {
            req.setResult(ConnectResponse.invalidSqeField(ConnectCommand.SQSIZE));
            return Status.CONNECT_INVALID_PARAM | Status.DNR;
        }
        if (c.hasQueue(qid)) {
            return ctx.fail(Status.CMD_SEQ_ERROR | Status.DNR, ErrorLocation.CONNECT_QID);
        }
        // MQES bounds I/O queues only (as in Linux); the admin queue is bounded by what AQA could express.
        if ((qid != 0 && sqsize > c.mqes()) || (qid == 0 && sqsize > MAX_ADMIN_SQSIZE)) {
            req.setResult(ConnectResponse.invalidSqeField(ConnectCommand.SQSIZE));
            return Status.CONNECT_INVALID_PARAM | Status.DNR;
        }
        if (!c.installQueue(qid, queue)) {
            return ctx.fail(Status.CMD_SEQ_ERROR | Status.DNR, ErrorLocation.CONNECT_QID);
        }
        boolean noSqFlow = (ConnectCommand.cattr(sqe) & ConnectCommand.CATTR_DISABLE_SQ_FLOW) != 0;
        if (!queue.bind(c, qid, sqsize + 1, noSqFlow)) {
            c.queueDestroyed(qid, queue);
            return ctx.fail(Status.CONNECT_CTRL_BUSY | Status.DNR, ErrorLocation.OPCODE);
        }
        if (noSqFlow) {
            ctx.sqHeadOverride = 0xFFFF;
        }
        return 0;
    }

    static void propertySet(Controller c, NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        if ((PropertySetCommand.attrib(sqe) & 1) != 0) {
            req.complete(ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.PROPERTY_ATTRIB));
            return;
        }
        if (PropertySetCommand.offset(sqe) != ControllerRegisters.CC) {
            req.complete(ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.PROPERTY_OFFSET));
            return;
        }
        c.updateCc((int) PropertySetCommand.value(sqe));
        req.complete(Status.SUCCESS);
    }

    static void propertyGet(Controller c, NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        boolean eight = (PropertyGetCommand.attrib(sqe) & 1) != 0;
        int offset = PropertyGetCommand.offset(sqe);
        long value = 0;
        int status = 0;
        if (eight) {
            if (offset == ControllerRegisters.CAP) {
                value = c.cap;
            } else {
                status = ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.PROPERTY_OFFSET);
            }
        } else {
            switch (offset) {
                case ControllerRegisters.VS -> value = c.version() & 0xFFFFFFFFL;
                case ControllerRegisters.CC -> value = c.cc() & 0xFFFFFFFFL;
                case ControllerRegisters.CSTS -> value = c.csts() & 0xFFFFFFFFL;
                // CRIMT and CRWMT equal to CAP.TO: enabling takes no longer in either mode.
                case ControllerRegisters.CRTO -> {
                    int to = ControllerRegisters.capTimeout(c.cap);
                    value = (long) to << ControllerRegisters.CRTO_CRIMT_SHIFT | to;
                }
                default -> status = ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.PROPERTY_ATTRIB);
            }
        }
        req.complete(status, value);
    }
}
