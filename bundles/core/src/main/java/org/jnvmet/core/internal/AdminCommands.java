package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.fabrics.FabricsCommandType;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.ChangedNamespaceListLog;
import org.jnvmet.protocol.nvme.CommandsSupportedAndEffectsLog;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.GetLogPageCommand;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.jnvmet.protocol.nvme.SmartHealthLog;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SupportedLogPagesLog;
import org.jnvmet.spi.transport.NvmeRequest;

/** Admin commands of I/O controllers (Linux drivers/nvme/target/admin-cmd.c). */
final class AdminCommands {
    static final int NSID_ALL = 0xFFFFFFFF;

    private AdminCommands() {
    }

    /** nvmet_parse_admin_cmd. */
    static int parse(Controller c, NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        if (FabricsCommandType.isFabrics(sqe)) {
            return FabricsCommands.parseAdmin(req, ctx);
        }
        if (c.subsystem.discovery) {
            return DiscoveryCommands.parse(c, req, ctx);
        }
        if (!c.ready()) {
            // nvmet_check_ctrl_status: CC.EN == 0 or CSTS.RDY == 0
            return Status.CMD_SEQ_ERROR | Status.DNR;
        }
        if (c.passthru != null) {
            return PassthruDispatch.parseAdmin(c, req, ctx);
        }
        switch (req.opcode()) {
            case AdminOpcode.GET_LOG_PAGE -> ctx.handler = CommandContext.GET_LOG_PAGE;
            case AdminOpcode.IDENTIFY -> ctx.handler = CommandContext.IDENTIFY;
            case AdminOpcode.ABORT -> ctx.handler = CommandContext.ABORT;
            case AdminOpcode.SET_FEATURES -> ctx.handler = CommandContext.SET_FEATURES;
            case AdminOpcode.GET_FEATURES -> ctx.handler = CommandContext.GET_FEATURES;
            case AdminOpcode.ASYNC_EVENT_REQUEST -> ctx.handler = CommandContext.ASYNC_EVENT;
            case AdminOpcode.KEEP_ALIVE -> ctx.handler = CommandContext.KEEP_ALIVE;
            default -> {
                return ctx.fail(Status.INVALID_OPCODE | Status.DNR, ErrorLocation.OPCODE);
            }
        }
        return 0;
    }

    /** The checks Linux makes when these commands execute, in its order; none needs the data. */
    static int validate(Controller c, NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        switch (ctx.handler) {
            case CommandContext.IDENTIFY:
                return validateIdentify(c, req, ctx);
            case CommandContext.GET_LOG_PAGE:
                return validateGetLogPage(c, req, ctx);
            case CommandContext.SET_FEATURES:
                if (req.transferLength() > 0) {
                    // nvmet_check_data_len_lte(req, 0)
                    return ctx.fail(Status.SGL_INVALID_DATA | Status.DNR, ErrorLocation.DPTR);
                }
                return validateSetFeatures(req, ctx, Controller.AEN_CFG_ALL);
            case CommandContext.GET_FEATURES: {
                int fid = FeaturesCommand.fid(sqe);
                int status = FabricsCommands.checkLength(req, ctx,
                        fid == FeatureId.HOST_IDENTIFIER ? FeatureId.HOST_ID_EXTENDED_SIZE : 0);
                if (status != 0) {
                    return status;
                }
                return switch (fid) {
                    case FeatureId.ASYNC_EVENT_CONFIGURATION, FeatureId.VOLATILE_WRITE_CACHE,
                            FeatureId.NUMBER_OF_QUEUES, FeatureId.KEEP_ALIVE_TIMER -> 0;
                    case FeatureId.HOST_IDENTIFIER -> (req.cdw(11) & FeatureId.HOST_ID_EXHID) == 0
                            ? ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.CDW11) : 0;
                    default -> ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.CDW10);
                };
            }
            case CommandContext.KEEP_ALIVE: {
                int status = FabricsCommands.checkLength(req, ctx, 0);
                if (status == 0 && c.kato() == 0) {
                    return Status.KA_TIMEOUT_INVALID;
                }
                return status;
            }
            default:
                // Abort, Asynchronous Event Request
                return FabricsCommands.checkLength(req, ctx, 0);
        }
    }

    /** Set Features checks shared with discovery controllers ({@code aenMask} differs). */
    static int validateSetFeatures(NvmeRequest req, CommandContext ctx, int aenMask) {
        int cdw11 = req.cdw(11);
        int fid = FeaturesCommand.fid(req.sqe());
        boolean discovery = aenMask == Controller.DISC_AEN_CFG_OPTIONAL;
        switch (fid) {
            case FeatureId.NUMBER_OF_QUEUES:
                if (discovery) {
                    break;
                }
                int ncqr = cdw11 >>> 16;
                int nsqr = cdw11 & 0xFFFF;
                return ncqr == 0xFFFF || nsqr == 0xFFFF ? Status.INVALID_FIELD | Status.DNR : 0;
            case FeatureId.KEEP_ALIVE_TIMER:
                return 0;
            case FeatureId.ASYNC_EVENT_CONFIGURATION:
                return (cdw11 & ~aenMask) != 0 ? ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.CDW11) : 0;
            case FeatureId.HOST_IDENTIFIER:
                if (discovery) {
                    break;
                }
                // The host identifier comes with Connect and cannot be changed.
                return Status.CMD_SEQ_ERROR | Status.DNR;
            default:
                break;
        }
        return ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.CDW10);
    }

    private static int validateIdentify(Controller c, NvmeRequest req, CommandContext ctx) {
        int status = FabricsCommands.checkLength(req, ctx, IdentifyCns.DATA_SIZE);
        if (status != 0) {
            return status;
        }
        ByteBuf sqe = req.sqe();
        int nsid = req.nsid();
        int csi = IdentifyCommand.csi(sqe);
        switch (IdentifyCommand.cns(sqe)) {
            case IdentifyCns.NAMESPACE:
                return nsid == NSID_ALL ? ctx.fail(Status.INVALID_NS | Status.DNR, ErrorLocation.NSID) : 0;
            case IdentifyCns.CONTROLLER:
            case IdentifyCns.ENDURANCE_GROUP_LIST:
                return 0;
            case IdentifyCns.ACTIVE_NAMESPACE_LIST:
            case IdentifyCns.CS_ACTIVE_NAMESPACE_LIST:
                return nsid == 0xFFFFFFFE || nsid == NSID_ALL
                        ? ctx.fail(Status.INVALID_NS | Status.DNR, ErrorLocation.NSID) : 0;
            case IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST:
            case IdentifyCns.CS_INDEPENDENT_NAMESPACE:
                return findNamespace(c, nsid, ctx);
            case IdentifyCns.CS_NAMESPACE:
                if (csi == NamespaceIdDescriptor.CSI_NVM) {
                    return findNamespace(c, nsid, ctx);
                }
                break;
            case IdentifyCns.CS_CONTROLLER:
                if (csi == NamespaceIdDescriptor.CSI_NVM) {
                    return 0;
                }
                break;
            default:
                break;
        }
        return ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.CNS);
    }

    /** nvmet_req_find_ns for admin commands: INVALID_NS with DNR when the NSID is not active. */
    static int findNamespace(Controller c, int nsid, CommandContext ctx) {
        if (c.subsystem.findActive(nsid) == null) {
            return ctx.fail(Status.INVALID_NS | Status.DNR, ErrorLocation.NSID);
        }
        return 0;
    }

    private static int validateGetLogPage(Controller c, NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        int status = FabricsCommands.checkLength(req, ctx, GetLogPageCommand.length(sqe));
        if (status != 0) {
            return status;
        }
        int len = req.transferLength();
        switch (GetLogPageCommand.lid(sqe)) {
            case LogPageId.SUPPORTED_LOG_PAGES:
                return len < SupportedLogPagesLog.SIZE
                        ? ctx.fail(Status.SGL_INVALID_DATA | Status.DNR, ErrorLocation.DPTR) : 0;
            case LogPageId.ERROR_INFORMATION:
            case LogPageId.FIRMWARE_SLOT:
            case LogPageId.ASYMMETRIC_NAMESPACE_ACCESS:
                return 0;
            case LogPageId.SMART_HEALTH:
                if (len != SmartHealthLog.SIZE) {
                    return Status.INTERNAL;
                }
                return req.nsid() == NSID_ALL ? 0 : findNamespace(c, req.nsid(), ctx);
            case LogPageId.CHANGED_NAMESPACE_LIST:
                return len != ChangedNamespaceListLog.SIZE ? Status.INTERNAL : 0;
            case LogPageId.COMMANDS_SUPPORTED_AND_EFFECTS:
                if (GetLogPageCommand.csi(sqe) != NamespaceIdDescriptor.CSI_NVM) {
                    return Status.INVALID_LOG_PAGE;
                }
                return len < CommandsSupportedAndEffectsLog.SIZE
                        ? ctx.fail(Status.SGL_INVALID_DATA | Status.DNR, ErrorLocation.DPTR) : 0;
            default:
                return ctx.fail(Status.INVALID_FIELD | Status.DNR, ErrorLocation.LID);
        }
    }

    static void execute(FabricsQueue queue, Controller c, NvmeRequest req, CommandContext ctx) {
        ByteBuf sqe = req.sqe();
        switch (ctx.handler) {
            case CommandContext.IDENTIFY -> {
                int base = queue.prepareOutput(req);
                IdentifyData.write(queue, c, req, req.data(), base);
                req.complete(Status.SUCCESS);
            }
            case CommandContext.GET_LOG_PAGE -> {
                int base = queue.prepareOutput(req);
                LogPages.write(c, req, req.data(), base);
                req.complete(Status.SUCCESS);
            }
            case CommandContext.SET_FEATURES -> req.complete(Status.SUCCESS, setFeature(c, req));
            case CommandContext.GET_FEATURES -> {
                int fid = FeaturesCommand.fid(sqe);
                if (fid == FeatureId.HOST_IDENTIFIER) {
                    int base = queue.prepareOutput(req);
                    req.data().setBytes(base, c.hostId);
                    req.complete(Status.SUCCESS);
                } else {
                    req.complete(Status.SUCCESS, getFeature(c, fid));
                }
            }
            case CommandContext.ASYNC_EVENT -> {
                if (!c.queueAsyncEventRequest(req)) {
                    req.complete(Status.ASYNC_LIMIT | Status.DNR);
                }
            }
            case CommandContext.KEEP_ALIVE -> {
                c.restartKeepAlive();
                req.complete(Status.SUCCESS);
            }
            case CommandContext.ABORT -> req.complete(Status.SUCCESS, 1);
            default -> req.complete(Status.INTERNAL | Status.DNR);
        }
    }

    /** Applies a validated Set Features; returns CQE DW0. */
    static long setFeature(Controller c, NvmeRequest req) {
        int cdw11 = req.cdw(11);
        switch (FeaturesCommand.fid(req.sqe())) {
            case FeatureId.NUMBER_OF_QUEUES:
                return numberOfQueues(c);
            case FeatureId.KEEP_ALIVE_TIMER:
                return c.setKato(cdw11 & 0xFFFFFFFFL);
            case FeatureId.ASYNC_EVENT_CONFIGURATION:
                c.aenEnabled = cdw11;
                return cdw11 & 0xFFFFFFFFL;
            default:
                return 0;
        }
    }

    static long getFeature(Controller c, int fid) {
        return switch (fid) {
            case FeatureId.ASYNC_EVENT_CONFIGURATION -> c.aenEnabled & 0xFFFFFFFFL;
            case FeatureId.VOLATILE_WRITE_CACHE -> 1;
            case FeatureId.NUMBER_OF_QUEUES -> numberOfQueues(c);
            case FeatureId.KEEP_ALIVE_TIMER -> c.kato() * 1000L;
            default -> 0;
        };
    }

    /** NSQA and NCQA, both qid_max - 1 (0's based), whatever the host asked for. */
    private static long numberOfQueues(Controller c) {
        int n = c.subsystem.maxQid() - 1;
        return (n & 0xFFFF) | (long) (n & 0xFFFF) << 16;
    }
}
