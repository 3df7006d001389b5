package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.GetLogPageCommand;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.transport.NvmeRequest;

/** Admin commands of discovery controllers (Linux drivers/nvme/target/discovery.c). */
final class DiscoveryCommands {
    private DiscoveryCommands() {
    }

    /** nvmet_parse_discovery_cmd: before CSTS.RDY everything is an invalid opcode. */
    static int parse(Controller c, NvmeRequest req, CommandContext ctx) {
        if (!c.csReady()) {
            return ctx.fail(Status.INVALID_OPCODE | Status.DNR, ErrorLocation.OPCODE);
        }
        switch (req.opcode()) {
            case AdminOpcode.SET_FEATURES -> ctx.handler = CommandContext.DISC_SET_FEATURES;
            case AdminOpcode.GET_FEATURES -> ctx.handler = CommandContext.DISC_GET_FEATURES;
            case AdminOpcode.ASYNC_EVENT_REQUEST -> ctx.handler = CommandContext.ASYNC_EVENT;
            case AdminOpcode.KEEP_ALIVE -> ctx.handler = CommandContext.KEEP_ALIVE;
            case AdminOpcode.GET_LOG_PAGE -> ctx.handler = CommandContext.DISC_GET_LOG_PAGE;
            case AdminOpcode.IDENTIFY -> ctx.handler = CommandContext.DISC_IDENTIFY;
            default -> {
                return ctx.fail(Status.INVALID_OPCODE | Status.DNR, ErrorLocation.OPCODE);
            }
        }
        return 0;
    }

    static int validate(NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        switch (ctx.handler) {
            case CommandContext.DISC_GET_LOG_PAGE: {
                int status = FabricsCommands.checkLength(req, ctx, GetLogPageCommand.length(sqe));
                if (status != 0) {
                    return status;
                }
                if (GetLogPageCommand.lid(sqe) != LogPageId.DISCOVERY) {
                    return ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.LID);
                }
                if ((GetLogPageCommand.offset(sqe) & 0x3) != 0) {
                    // The specification requires dword aligned offsets.
                    return ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.LPO);
                }
                return 0;
            }
            case CommandContext.DISC_IDENTIFY: {
                int status = FabricsCommands.checkLength(req, ctx, IdentifyCns.DATA_SIZE);
                if (status == 0 && IdentifyCommand.cns(sqe) != IdentifyCns.CONTROLLER) {
                    return ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.CNS);
                }
                return status;
            }
            case CommandContext.DISC_SET_FEATURES: {
                int status = FabricsCommands.checkLength(req, ctx, 0);
                return status != 0 ? status
                        : AdminCommands.validateSetFeatures(req, ctx, Controller.DISC_AEN_CFG_OPTIONAL);
            }
            default: {
                int status = FabricsCommands.checkLength(req, ctx, 0);
                if (status != 0) {
                    return status;
                }
                int fid = FeaturesCommand.fid(sqe);
                return fid == FeatureId.KEEP_ALIVE_TIMER || fid == FeatureId.ASYNC_EVENT_CONFIGURATION ? 0
                        : ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.CDW10);
            }
        }
    }

    static void execute(FabricsQueue queue, Controller c, NvmeRequest req, CommandContext ctx) {
        switch (ctx.handler) {
            case CommandContext.DISC_GET_LOG_PAGE -> {
                int base = queue.prepareOutput(req);
                queue.engine.writeDiscoveryLog(queue, c, req, req.data(), base);
                req.complete(Status.SUCCESS);
            }
            case CommandContext.DISC_IDENTIFY -> {
                int base = queue.prepareOutput(req);
                IdentifyData.discoveryController(queue, c, req.data(), base);
                req.complete(Status.SUCCESS);
            }
            case CommandContext.DISC_SET_FEATURES -> req.complete(Status.SUCCESS, AdminCommands.setFeature(c, req));
            default -> req.complete(Status.SUCCESS, AdminCommands.getFeature(c, FeaturesCommand.fid(req.sqe())));
        }
    }
}
