package org.jnvmet.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.host.CommandQueue;
import org.jnvmet.host.Commands;
import org.jnvmet.host.Completion;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.protocol.fabrics.ConnectCommand;
import org.jnvmet.protocol.fabrics.ConnectData;
import org.jnvmet.protocol.fabrics.ConnectResponse;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.protocol.nvme.DatasetManagement;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and out-of-sequence commands through the raw submit path, each expecting the status code and DNR bit
 * the Linux target returns (drivers/nvme/target: nvmet_req_init, nvmet_parse_*_cmd, fabrics-cmd.c, admin-cmd.c,
 * io-cmd-file.c, and for SGL descriptors the transports' map functions). The More bit is not asserted: Linux
 * sets it whenever it logged an error location.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedCommandTest {
    static final String RESTRICTED = "nqn.2024-01.org.jnvmet:it-restricted";
    static final String STRANGER = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-00000000beef";
    static final long RAM_BYTES = 4L << 20;
    static final long FILE_BYTES = 1L << 20;
    static final long FILE_BLOCKS = FILE_BYTES / 512;
    static final long RAM_BLOCKS = RAM_BYTES / 512;

    private Path dir;
    private LoopTarget target;
    /** Enabled, KATO 5 s, one I/O queue. */
    private HostController ready;
    /** Enabled, KATO 0. */
    private HostController noKato;
    /** Connected, never enabled; one I/O queue connected by hand. */
    private HostController disabled;
    private CommandQueue disabledIo;

    /** Where a row's command goes. */
    enum On { UNCONNECTED_ADMIN, UNCONNECTED_IO, READY_ADMIN, READY_IO, DISABLED_ADMIN, DISABLED_IO, NO_KATO_ADMIN }

    /**
     * One case: a command (built from the test's state), its data, and the status expected.
     *
     * @param expected  SCT/SC and DNR the Linux target answers with
     * @param result    expected CQE DW0 (Connect's invalid parameter location), or null
     */
    record Row(String name, On on, Function<MalformedCommandTest, ByteBuf> sqe,
            Function<MalformedCommandTest, ByteBuf> out, int in, int expected, Long result) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("jnvmet-malformed");
        target = new LoopTarget(dir, RAM_BYTES, FILE_BYTES);
        target.core.putSubsystem(SubsystemSpec.of(RESTRICTED).withAllowedHosts(false, List.of(STRANGER)));
        target.core.putPort(PortSpec.loop(LoopTarget.PORT, List.of(LoopTarget.NQN, RESTRICTED)));
        ready = target.connect(target.options().withIoQueues(1, 32).withKato(5000, false));
        noKato = target.connect(target.options().withIoQueues(0, 32).withKato(0, false));
        disabled = target.host.connectAdmin(target.transport(), target.options().withKato(0, false));
        disabledIo = target.host.openUnconnectedQueue(target.transport(), 1, 16);
        Completion c = disabledIo.execute(Commands.connect(1, 15, 0, 0),
                connectData(disabled.cntlid(), LoopTarget.NQN, target.host.hostNqn()), null);
        assertEquals(Status.SUCCESS, c.status(), "Linux accepts an I/O queue before CC.EN");
    }

    @AfterAll
    void stop() throws Exception {
        disabledIo.close();
        disabled.close();
        noKato.close();
        ready.close();
        target.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
        assertEquals(List.of(), LeakWatch.drain(), "Netty reported leaked buffers");
    }

    // ---------------------------------------------------------------- command builders

    ByteBuf connectData(int cntlid, String subnqn, String hostnqn) {
        return Commands.connectData(target.host.hostId(), cntlid, subnqn, hostnqn);
    }

    ByteBuf adminConnectData() {
        return connectData(ConnectData.CNTLID_DYNAMIC, LoopTarget.NQN, target.host.hostNqn());
    }

    ByteBuf ioConnectData() {
        return connectData(ready.cntlid(), LoopTarget.NQN, target.host.hostNqn());
    }

    static ByteBuf withRecfmt(ByteBuf sqe, int recfmt) {
        sqe.setShortLE(ConnectCommand.RECFMT, recfmt);
        return sqe;
    }

    static ByteBuf withFlags(ByteBuf sqe, int flags) {
        SubmissionQueueEntry.setFlags(sqe, flags);
        return sqe;
    }

    static ByteBuf withSgl(ByteBuf sqe, int identifier, long address, int length) {
        SglDescriptor.set(sqe, identifier, address, length);
        return sqe;
    }

    static ByteBuf zeros(int n) {
        return Unpooled.buffer(n, n).writeZero(n);
    }

    static ByteBuf read(int nsid, long slba, int blocks) {
        return Commands.read(nsid, slba, blocks);
    }

    static ByteBuf dsmRange(long slba, int blocks) {
        ByteBuf data = zeros(DatasetManagement.RANGE_SIZE);
        DatasetManagement.setRange(data, 0, slba, blocks);
        return data;
    }

    static ByteBuf dsmRangeInPage(long slba, int blocks) {
        ByteBuf data = zeros(4096);
        DatasetManagement.setRange(data, 0, slba, blocks);
        return data;
    }

    static ByteBuf writeZeroes(int nsid, long slba, int blocks) {
        ByteBuf sqe = Commands.sqe(NvmOpcode.WRITE_ZEROES, nsid);
        Commands.fillWriteZeroes(sqe, nsid, slba, blocks, false);
        return sqe;
    }

    static ByteBuf deallocate(int nsid) {
        ByteBuf sqe = Commands.sqe(NvmOpcode.DATASET_MANAGEMENT, nsid);
        Commands.fillDatasetManagement(sqe, nsid, 1, DatasetManagement.ATTR_AD);
        return sqe;
    }

    static Row row(String name, On on, Function<MalformedCommandTest, ByteBuf> sqe, int expected) {
        return new Row(name, on, sqe, t -> null, 0, expected, null);
    }

    static Row rowIn(String name, On on, Function<MalformedCommandTest, ByteBuf> sqe, int in, int expected) {
        return new Row(name, on, sqe, t -> null, in, expected, null);
    }

    static Row rowOut(String name, On on, Function<MalformedCommandTest, ByteBuf> sqe,
            Function<MalformedCommandTest, ByteBuf> out, int expected) {
        return new Row(name, on, sqe, out, 0, expected, null);
    }

    static Row connect(String name, On on, Function<MalformedCommandTest, ByteBuf> sqe,
            Function<MalformedCommandTest, ByteBuf> data, int expected, Long result) {
        return new Row(name, on, sqe, data, 0, expected, result);
    }

    static final int DNR = Status.DNR;
    static final int TRANSPORT_SGL = SglDescriptor.ID_TRANSPORT;
    static final long WRAP_TO_ZERO_512 = 1L << 55; // SLBA << 9 wraps to byte 0

    static Stream<Row> rows() {
        return Stream.of(
            // ---- commands on a queue no Connect has bound (nvmet_parse_connect_cmd)
            rowIn("Identify on an unconnected queue", On.UNCONNECTED_ADMIN,
                    t -> Commands.identify(IdentifyCns.CONTROLLER, 0), 4096, Status.INVALID_OPCODE | DNR),
            row("Property Get on an unconnected queue", On.UNCONNECTED_ADMIN,
                    t -> Commands.propertyGet(ControllerRegisters.CAP, true), Status.INVALID_OPCODE | DNR),

            // ---- admin Connect (nvmet_execute_admin_connect, nvmet_alloc_ctrl, nvmet_install_queue)
            connect("admin Connect with RECFMT 1", On.UNCONNECTED_ADMIN,
                    t -> withRecfmt(Commands.connect(0, 31, 0, 5000), 1), MalformedCommandTest::adminConnectData,
                    Status.CONNECT_FORMAT | DNR, null),
            connect("admin Connect with CNTLID 1 instead of FFFFh", On.UNCONNECTED_ADMIN,
                    t -> Commands.connect(0, 31, 0, 5000), t -> t.connectData(1, LoopTarget.NQN, t.target.host.hostNqn()),
                    Status.CONNECT_INVALID_PARAM | DNR, (long) ConnectResponse.invalidDataField(ConnectData.CNTLID)),
            connect("admin Connect with SQSIZE 0", On.UNCONNECTED_ADMIN,
                    t -> Commands.connect(0, 0, 0, 5000), MalformedCommandTest::adminConnectData,
                    Status.CONNECT_INVALID_PARAM | DNR, (long) ConnectResponse.invalidSqeField(ConnectCommand.SQSIZE)),
            connect("admin Connect to an unknown subsystem", On.UNCONNECTED_ADMIN,
                    t -> Commands.connect(0, 31, 0, 5000),
                    t -> t.connectData(0xFFFF, "nqn.2024-01.org.jnvmet:nobody", t.target.host.hostNqn()),
                    Status.CONNECT_INVALID_PARAM | DNR, (long) ConnectResponse.invalidDataField(ConnectData.SUBNQN)),
            connect("admin Connect from a host that is not allowed", On.UNCONNECTED_ADMIN,
                    t -> Commands.connect(0, 31, 0, 5000),
                    t -> t.connectData(0xFFFF, RESTRICTED, t.target.host.hostNqn()),
                    Status.CONNECT_INVALID_HOST | DNR, (long) ConnectResponse.invalidDataField(ConnectData.HOSTNQN)),
            connect("admin Connect with 512 bytes of connect data", On.UNCONNECTED_ADMIN,
                    t -> Commands.connect(0, 31, 0, 5000), t -> t.adminConnectData().slice(0, 512),
                    Status.SGL_INVALID_DATA | DNR, null),
            connect("admin Connect with FUSE 01b", On.UNCONNECTED_ADMIN,
                    t -> withFlags(Commands.connect(0, 31, 0, 5000), 0x41), MalformedCommandTest::adminConnectData,
                    Status.INVALID_FIELD | DNR, null),
            connect("admin Connect with PSDT 00b (PRPs)", On.UNCONNECTED_ADMIN,
                    t -> withFlags(Commands.connect(0, 31, 0, 5000), 0x00), MalformedCommandTest::adminConnectData,
                    Status.INVALID_FIELD | DNR, null),

            // ---- I/O Connect (nvmet_execute_io_connect, nvmet_ctrl_find_get)
            connect("I/O Connect with RECFMT 1", On.UNCONNECTED_IO,
                    t -> withRecfmt(Commands.connect(2, 31, 0, 0), 1), MalformedCommandTest::ioConnectData,
                    Status.CONNECT_FORMAT | DNR, null),
            connect("I/O Connect for a controller ID that does not exist", On.UNCONNECTED_IO,
                    t -> Commands.connect(2, 31, 0, 0), t -> t.connectData(0xFFEE, LoopTarget.NQN, t.target.host.hostNqn()),
                    Status.CONNECT_INVALID_PARAM | DNR, (long) ConnectResponse.invalidDataField(ConnectData.CNTLID)),
            connect("I/O Connect for another host's controller", On.UNCONNECTED_IO,
                    t -> Commands.connect(2, 31, 0, 0), t -> t.connectData(t.ready.cntlid(), LoopTarget.NQN, STRANGER),
                    Status.CONNECT_INVALID_PARAM | DNR, (long) ConnectResponse.invalidDataField(ConnectData.CNTLID)),
            connect("I/O Connect with QID 129 above attr_qid_max 128", On.UNCONNECTED_IO,
                    t -> Commands.connect(129, 31, 0, 0), MalformedCommandTest::ioConnectData,
                    Status.CONNECT_INVALID_PARAM | DNR, (long) ConnectResponse.invalidSqeField(ConnectCommand.QID)),
            connect("I/O Connect with SQSIZE 0", On.UNCONNECTED_IO,
                    t -> Commands.connect(2, 0, 0, 0), MalformedCommandTest::ioConnectData,
                    Status.CONNECT_INVALID_PARAM | DNR, (long) ConnectResponse.invalidSqeField(ConnectCommand.SQSIZE)),
            connect("I/O Connect with SQSIZE 1024 above MQES 1023", On.UNCONNECTED_IO,
                    t -> Commands.connect(2, 1024, 0, 0), MalformedCommandTest::ioConnectData,
                    Status.CONNECT_INVALID_PARAM | DNR, (long) ConnectResponse.invalidSqeField(ConnectCommand.SQSIZE)),
            connect("I/O Connect for QID 1 which is connected already", On.UNCONNECTED_IO,
                    t -> Commands.connect(1, 31, 0, 0), MalformedCommandTest::ioConnectData,
                    Status.CMD_SEQ_ERROR | DNR, null),

            // ---- commands before CC.EN (nvmet_check_ctrl_status)
            rowIn("Identify before CC.EN", On.DISABLED_ADMIN,
                    t -> Commands.identify(IdentifyCns.CONTROLLER, 0), 4096, Status.CMD_SEQ_ERROR | DNR),
            rowIn("Get Log Page before CC.EN", On.DISABLED_ADMIN,
                    t -> Commands.getLogPage(LogPageId.SMART_HEALTH, -1, 512, 0, false), 512,
                    Status.CMD_SEQ_ERROR | DNR),
            row("Keep Alive before CC.EN", On.DISABLED_ADMIN, t -> Commands.keepAlive(), Status.CMD_SEQ_ERROR | DNR),
            row("unknown admin opcode before CC.EN", On.DISABLED_ADMIN, t -> Commands.sqe(0xC9, 0),
                    Status.CMD_SEQ_ERROR | DNR),
            row("Property Get CSTS before CC.EN is fine", On.DISABLED_ADMIN,
                    t -> Commands.propertyGet(ControllerRegisters.CSTS, false), Status.SUCCESS),
            rowIn("Read before CC.EN", On.DISABLED_IO, t -> read(LoopTarget.RAM_NSID, 0, 1), 512,
                    Status.CMD_SEQ_ERROR | DNR),

            // ---- admin queue of a ready controller
            row("unknown admin opcode C9h", On.READY_ADMIN, t -> Commands.sqe(0xC9, 0), Status.INVALID_OPCODE | DNR),
            row("reserved admin opcode 03h", On.READY_ADMIN, t -> Commands.sqe(0x03, 0), Status.INVALID_OPCODE | DNR),
            row("Create I/O SQ on fabrics", On.READY_ADMIN, t -> Commands.sqe(AdminOpcode.CREATE_IO_SQ, 0),
                    Status.INVALID_OPCODE | DNR),
            connect("a second Connect on a connected admin queue", On.READY_ADMIN,
                    t -> Commands.connect(0, 31, 0, 5000), MalformedCommandTest::adminConnectData,
                    Status.INVALID_OPCODE | DNR, null),
            row("Property Set of CAP", On.READY_ADMIN,
                    t -> Commands.propertySet(ControllerRegisters.CAP, 0, true), Status.INVALID_FIELD | DNR),
            row("Property Get of VS as 8 bytes", On.READY_ADMIN,
                    t -> Commands.propertyGet(ControllerRegisters.VS, true), Status.INVALID_FIELD | DNR),
            rowIn("Identify CNS 1Fh", On.READY_ADMIN, t -> Commands.identify(0x1F, 0), 4096,
                    Status.INVALID_FIELD | DNR),
            rowIn("Identify Namespace NSID FFFFFFFFh", On.READY_ADMIN,
                    t -> Commands.identify(IdentifyCns.NAMESPACE, 0xFFFFFFFF), 4096, Status.INVALID_NS | DNR),
            rowIn("Identify active namespaces after NSID FFFFFFFEh", On.READY_ADMIN,
                    t -> Commands.identify(IdentifyCns.ACTIVE_NAMESPACE_LIST, 0xFFFFFFFE), 4096,
                    Status.INVALID_NS | DNR),
            rowIn("Identify into a 512-byte buffer", On.READY_ADMIN,
                    t -> Commands.identify(IdentifyCns.CONTROLLER, 0), 512, Status.SGL_INVALID_DATA | DNR),
            rowIn("Get Log Page LID 7Fh", On.READY_ADMIN, t -> Commands.getLogPage(0x7F, 0, 512, 0, false), 512,
                    Status.INVALID_FIELD | DNR),
            rowIn("SMART log of an absent namespace", On.READY_ADMIN,
                    t -> Commands.getLogPage(LogPageId.SMART_HEALTH, 9, 512, 0, false), 512, Status.INVALID_NS | DNR),
            row("Set Features FID 02h (power management)", On.READY_ADMIN,
                    t -> Commands.setFeatures(FeatureId.POWER_MANAGEMENT, 0), Status.INVALID_FIELD | DNR),
            row("admin command with FUSE 01b", On.READY_ADMIN, t -> withFlags(Commands.keepAlive(), 0x41),
                    Status.INVALID_FIELD | DNR),
            row("admin command with FUSE 10b", On.READY_ADMIN, t -> withFlags(Commands.keepAlive(), 0x42),
                    Status.INVALID_FIELD | DNR),
            row("admin command with PSDT 00b", On.READY_ADMIN, t -> withFlags(Commands.keepAlive(), 0x00),
                    Status.INVALID_FIELD | DNR),
            row("Keep Alive with KATO 0", On.NO_KATO_ADMIN, t -> Commands.keepAlive(), Status.KA_TIMEOUT_INVALID),

            // ---- I/O queue: opcodes and namespaces (nvmet_parse_io_cmd, nvmet_req_find_ns)
            rowIn("unknown I/O opcode 03h", On.READY_IO, t -> Commands.sqe(0x03, LoopTarget.RAM_NSID), 0,
                    Status.INVALID_OPCODE | DNR),
            row("vendor specific I/O opcode 81h", On.READY_IO, t -> Commands.sqe(0x81, LoopTarget.RAM_NSID),
                    Status.INVALID_OPCODE | DNR),
            row("Reservation Register without reservations", On.READY_IO,
                    t -> Commands.sqe(NvmOpcode.RESERVATION_REGISTER, LoopTarget.RAM_NSID), Status.INVALID_OPCODE | DNR),
            row("unknown I/O opcode on an absent namespace", On.READY_IO, t -> Commands.sqe(0x03, 9),
                    Status.INVALID_NS | DNR),
            rowIn("Read NSID 0", On.READY_IO, t -> read(0, 0, 1), 512, Status.INVALID_NS | DNR),
            rowIn("Read NSID FFFFFFFFh", On.READY_IO, t -> read(0xFFFFFFFF, 0, 1), 512, Status.INVALID_NS | DNR),
            rowIn("Read of an absent namespace", On.READY_IO, t -> read(9, 0, 1), 512, Status.INVALID_NS | DNR),
            row("Flush NSID FFFFFFFFh", On.READY_IO, t -> Commands.flush(0xFFFFFFFF), Status.INVALID_NS | DNR),
            connect("Connect on a connected I/O queue", On.READY_IO, t -> Commands.connect(1, 31, 0, 0),
                    MalformedCommandTest::ioConnectData, Status.INVALID_OPCODE | DNR, null),
            row("Property Get on an I/O queue", On.READY_IO, t -> Commands.propertyGet(ControllerRegisters.CSTS, false),
                    Status.INVALID_OPCODE | DNR),
            rowIn("Read with FUSE 01b", On.READY_IO, t -> withFlags(read(LoopTarget.RAM_NSID, 0, 1), 0x41), 512,
                    Status.INVALID_FIELD | DNR),
            rowIn("Read with FUSE 10b", On.READY_IO, t -> withFlags(read(LoopTarget.RAM_NSID, 0, 1), 0x42), 512,
                    Status.INVALID_FIELD | DNR),
            rowIn("Read with PSDT 10b", On.READY_IO, t -> withFlags(read(LoopTarget.RAM_NSID, 0, 1), 0x80), 512,
                    Status.INVALID_FIELD | DNR),

            // ---- LBA ranges: the file backend's check (io-cmd-file.c: pos + len > size -> -ENOSPC ->
            // Capacity Exceeded); jnvmet checks every backend the same way, so the RAM namespace must agree.
            // The 64-bit rows wrap in Linux's own arithmetic (a bug there); they must fail like any range past the end.
            rowIn("Read at NSZE (file)", On.READY_IO, t -> read(LoopTarget.FILE_NSID, FILE_BLOCKS, 1), 512,
                    Status.CAP_EXCEEDED | DNR),
            rowIn("Read straddling the end (file)", On.READY_IO, t -> read(LoopTarget.FILE_NSID, FILE_BLOCKS - 1, 2),
                    1024, Status.CAP_EXCEEDED | DNR),
            rowOut("Write at NSZE (file)", On.READY_IO, t -> Commands.write(LoopTarget.FILE_NSID, FILE_BLOCKS, 1, false),
                    t -> zeros(512), Status.CAP_EXCEEDED | DNR),
            rowIn("Read at SLBA 2^64-1 wrapping to LBA 0 (file)", On.READY_IO,
                    t -> read(LoopTarget.FILE_NSID, -1L, 2), 1024, Status.CAP_EXCEEDED | DNR),
            rowIn("Read at SLBA 2^55, whose byte offset wraps to 0 (file)", On.READY_IO,
                    t -> read(LoopTarget.FILE_NSID, WRAP_TO_ZERO_512, 1), 512, Status.CAP_EXCEEDED | DNR),
            row("Write Zeroes past the end (file)", On.READY_IO,
                    t -> writeZeroes(LoopTarget.FILE_NSID, FILE_BLOCKS - 4, 8), Status.CAP_EXCEEDED | DNR),
            rowOut("Deallocate past the end (file)", On.READY_IO, t -> deallocate(LoopTarget.FILE_NSID),
                    t -> dsmRange(FILE_BLOCKS - 1, 2), Status.CAP_EXCEEDED | DNR),
            // nvmet_check_data_len_lte: NR ranges must arrive, a larger buffer (the Linux host's page) is accepted.
            rowOut("Deallocate with its range in a 4 KiB buffer (file)", On.READY_IO,
                    t -> deallocate(LoopTarget.FILE_NSID), t -> dsmRangeInPage(0, 8), Status.SUCCESS),
            rowOut("Deallocate with fewer bytes than NR ranges (file)", On.READY_IO,
                    t -> deallocate(LoopTarget.FILE_NSID), t -> zeros(8), Status.SGL_INVALID_DATA | DNR),
            rowIn("Read at NSZE (RAM)", On.READY_IO, t -> read(LoopTarget.RAM_NSID, RAM_BLOCKS, 1), 512,
                    Status.CAP_EXCEEDED | DNR),
            rowIn("Read at SLBA 2^64-1 wrapping to LBA 0 (RAM)", On.READY_IO,
                    t -> read(LoopTarget.RAM_NSID, -1L, 2), 1024, Status.CAP_EXCEEDED | DNR),
            rowOut("Write at SLBA 2^55 (RAM)", On.READY_IO,
                    t -> Commands.write(LoopTarget.RAM_NSID, WRAP_TO_ZERO_512, 1, false), t -> zeros(512),
                    Status.CAP_EXCEEDED | DNR),

            // ---- transfer lengths (nvmet_check_transfer_len; transports bound the SGL before allocating)
            rowIn("Read of MDTS + 1 block", On.READY_IO, t -> read(LoopTarget.RAM_NSID, 0, 2049), 2049 * 512,
                    Status.SGL_INVALID_DATA | DNR),
            rowOut("Write of 8 MiB, above MDTS and above Linux's 4 MiB SGL bound", On.READY_IO,
                    t -> Commands.write(LoopTarget.RAM_NSID, 0, 16384, false), t -> zeros(8 << 20),
                    Status.SGL_INVALID_DATA | DNR),
            rowIn("Read of 8 blocks with a 512-byte SGL", On.READY_IO,
                    t -> withSgl(read(LoopTarget.RAM_NSID, 0, 8), TRANSPORT_SGL, 0, 512), 512,
                    Status.SGL_INVALID_DATA | DNR),

            // ---- SGL descriptors (nvmet_rdma_map_sgl: unknown types; nvmet_tcp_map_data: in-capsule)
            rowIn("Read with a Segment SGL descriptor", On.READY_IO,
                    t -> withSgl(read(LoopTarget.RAM_NSID, 0, 1), SglDescriptor.TYPE_SEGMENT << 4, 0x1000, 512), 512,
                    Status.SGL_INVALID_TYPE | DNR),
            rowIn("Read with a Bit Bucket SGL descriptor", On.READY_IO,
                    t -> withSgl(read(LoopTarget.RAM_NSID, 0, 1), SglDescriptor.TYPE_BIT_BUCKET << 4, 0, 512), 512,
                    Status.SGL_INVALID_TYPE | DNR),
            rowIn("Read with a Data Block SGL of sub type Address", On.READY_IO,
                    t -> withSgl(read(LoopTarget.RAM_NSID, 0, 1), SglDescriptor.TYPE_DATA_BLOCK << 4, 0x1000, 512),
                    512, Status.INVALID_FIELD | DNR),
            rowOut("Write with in-capsule data on loop (no in-capsule data)", On.READY_IO,
                    t -> withSgl(Commands.write(LoopTarget.RAM_NSID, 0, 1, false), SglDescriptor.ID_INCAPSULE, 0, 512),
                    t -> zeros(512), Status.SGL_INVALID_OFFSET | DNR),
            rowIn("Read with an in-capsule SGL", On.READY_IO,
                    t -> withSgl(read(LoopTarget.RAM_NSID, 0, 1), SglDescriptor.ID_INCAPSULE, 0, 512), 512,
                    Status.INVALID_FIELD | DNR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void answersAsLinuxDoes(Row row) throws Exception {
        CommandQueue queue = queue(row.on());
        try {
            ByteBuf in = row.in() > 0 ? Unpooled.buffer(row.in(), row.in()) : null;
            Completion c = queue.execute(row.sqe().apply(this), row.out().apply(this), in);
            assertEquals(Status.toString(row.expected()), Status.toString(c.status() & ~Status.MORE), row.name());
            if (row.result() != null) {
                assertEquals(row.result().longValue(), c.result() & 0xFFFFFFFFL, "CQE DW0 of " + row.name());
            }
        } finally {
            if (row.on() == On.UNCONNECTED_ADMIN || row.on() == On.UNCONNECTED_IO) {
                queue.close();
            }
        }
    }

    private CommandQueue queue(On on) throws Exception {
        NvmeHost host = target.host;
        return switch (on) {
            case UNCONNECTED_ADMIN -> host.openUnconnectedQueue(target.transport(), 0, 32);
            case UNCONNECTED_IO -> host.openUnconnectedQueue(target.transport(), 2, 32);
            case READY_ADMIN -> ready.adminQueue();
            case READY_IO -> ready.ioQueue(0);
            case DISABLED_ADMIN -> disabled.adminQueue();
            case DISABLED_IO -> disabledIo;
            case NO_KATO_ADMIN -> noKato.adminQueue();
        };
    }

    @Test
    void afterAllThatTheControllersStillWork() throws Exception {
        HostNamespace ns = ready.namespace(LoopTarget.FILE_NSID);
        ByteBuf data = zeros(4096);
        data.setInt(0, 0xCAFEBABE);
        ready.ioQueue(0).write(ns, FILE_BLOCKS - 8, data, false);
        ByteBuf back = Unpooled.buffer(4096);
        ready.ioQueue(0).read(ns, FILE_BLOCKS - 8, 8, back);
        assertEquals(0xCAFEBABE, back.getInt(0));
        assertEquals(LoopTarget.SERIAL, ready.identifyController().serialNumber());
        assertTrue(noKato.isConnected() && disabled.isConnected());
        assertEquals(3, target.core.controllers().size(), "rejected Connects created no controllers");
        // the subsystem is untouched by the rejected Connects: the unknown one was not created
        assertTrue(target.core.subsystems().stream().noneMatch(s -> s.nqn().endsWith(":nobody")));
    }
}
