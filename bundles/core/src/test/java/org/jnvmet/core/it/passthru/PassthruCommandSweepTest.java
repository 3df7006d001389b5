package org.jnvmet.core.it.passthru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.backend.passthru.emulated.EmulatedNvmeController;
import org.jnvmet.core.it.passthru.LinuxPassthruRules.Outcome;
import org.jnvmet.host.CommandQueue;
import org.jnvmet.host.Commands;
import org.jnvmet.host.Completion;
import org.jnvmet.host.HostController;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.passthru.DeviceResult;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every admin opcode, feature, Identify CNS, log page and I/O opcode sent through the loopback wire to a passthru
 * controller ends as the Linux target's passthru would end it: rejected by the target with the reference status
 * (the device never sees it), handled by the target, or forwarded, in which case the host gets exactly the status
 * and DW0 the device itself gives for the same command.
 */
class PassthruCommandSweepTest {
    static final String OPT_IN_NQN = "nqn.2024-01.org.jnvmet:passthru-opt-in";
    static final Set<Integer> OPT_IN = Set.of(AdminOpcode.FORMAT_NVM, AdminOpcode.SANITIZE,
            AdminOpcode.FIRMWARE_DOWNLOAD, AdminOpcode.FIRMWARE_COMMIT);
    /** Namespace the sweeps send I/O to (written by Write Zeroes of the sweep: no other test here reads it). */
    static final int SWEEP_NSID = 2;

    static PassthruLoopTarget target;
    static HostController host;
    static HostController optInHost;

    @BeforeAll
    static void start() throws Exception {
        target = new PassthruLoopTarget("sweep");
        target.core.putSubsystem(SubsystemSpec.of(OPT_IN_NQN));
        target.core.putPassthru(OPT_IN_NQN, PassthruSpec.of("emulated:sweep-opt-in").withAllowedAdminOpcodes(OPT_IN));
        target.core.putPort(PortSpec.loop(PassthruLoopTarget.PORT, List.of(PassthruLoopTarget.NQN, OPT_IN_NQN)));
        host = target.connect();
        optInHost = target.connect(target.options().withSubsystem(OPT_IN_NQN));
    }

    @AfterAll
    static void stop() {
        optInHost.close();
        host.close();
        target.close();
        assertEquals(List.of(), LeakWatch.drain(), "Netty reported leaked buffers");
    }

    private static ByteBuf sqe(int opcode, int nsid, int cdw10, int cdw11) {
        ByteBuf sqe = Commands.sqe(opcode, nsid);
        SubmissionQueueEntry.setCdw(sqe, 10, cdw10);
        SubmissionQueueEntry.setCdw(sqe, 11, cdw11);
        return sqe;
    }

    /**
     * Sends {@code sqe} through {@code queue} and checks it ended as {@code expected} says: how often the emulated
     * controller executed the opcode, and for forwarded commands the device's own answer to the same entry.
     *
     * @param dataIn capacity of the controller-to-host buffer offered (0: none)
     * @return the host's completion, for LOCAL outcomes to check further
     */
    private static Completion check(CommandQueue queue, EmulatedNvmeController device, boolean admin, ByteBuf sqe,
            int dataIn, Outcome expected, String what, List<String> failures) throws Exception {
        int opcode = SubmissionQueueEntry.opcode(sqe);
        long before = device.executed(admin, opcode);
        Completion c = queue.execute(sqe.copy(), null, dataIn == 0 ? null : Unpooled.buffer(dataIn, dataIn));
        long executed = device.executed(admin, opcode) - before;
        switch (expected) {
            case FORWARD -> {
                DeviceResult d = target.direct(admin, sqe.copy(), dataIn == 0 ? null : Unpooled.buffer(dataIn),
                        dataIn);
                expect(failures, what, "executed by the device", 1, executed);
                expect(failures, what, "status (as the device gives it)", d.nvmeStatus(), c.status());
                expect(failures, what, "DW0 (as the device gives it)", d.dw0(), c.dw0());
            }
            case REJECT_OPCODE -> {
                expect(failures, what, "executed by the device", 0, executed);
                expect(failures, what, "status", Status.INVALID_OPCODE | Status.DNR | Status.MORE, c.status());
            }
            case REJECT_UNSUPPORTED -> {
                expect(failures, what, "executed by the device", 0, executed);
                expect(failures, what, "status", Status.INVALID_OPCODE | Status.DNR, c.status());
            }
            case LOCAL, HOST_BEHAVIOR -> expect(failures, what, "executed by the device", 0, executed);
        }
        return c;
    }

    private static void expect(List<String> failures, String what, String field, long want, long got) {
        if (want != got) {
            failures.add(what + ": " + field + " expected 0x" + Long.toHexString(want) + " but was 0x"
                    + Long.toHexString(got));
        }
    }

    private static void sweepAdmin(HostController h, EmulatedNvmeController device, Set<Integer> optIn)
            throws Exception {
        List<String> failures = new ArrayList<>();
        for (int opcode = 0; opcode <= 0xFF; opcode++) {
            if (opcode == AdminOpcode.ASYNC_EVENT_REQUEST) {
                continue; // held until an event: PassthruEventsTest
            }
            Outcome expected = LinuxPassthruRules.admin(opcode, 0, 0, optIn);
            String what = String.format("admin opcode 0x%02x", opcode);
            Completion c = check(h.adminQueue(), device, true, sqe(opcode, 0, 0, 0), 0, expected, what, failures);
            if (opcode == AdminOpcode.KEEP_ALIVE) {
                expect(failures, what, "status", Status.SUCCESS, c.status());
            } else if (opcode == AdminOpcode.FABRICS) {
                // fctype 0 is Property Set, of offset 0 (CAP): not writable
                expect(failures, what, "status", Status.INVALID_FIELD | Status.DNR | Status.MORE, c.status());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void everyAdminOpcodeEndsAsLinuxPassthruEndsIt() throws Exception {
        sweepAdmin(host, target.device(), Set.of());
    }

    @Test
    void optInOpcodesReachTheDeviceOnlyWhereAllowed() throws Exception {
        sweepAdmin(optInHost, target.registry.get("sweep-opt-in").orElseThrow(), OPT_IN);
    }

    @Test
    void everyFeatureIdentifierOfSetAndGetFeatures() throws Exception {
        List<String> failures = new ArrayList<>();
        EmulatedNvmeController device = target.device();
        for (int fid = 0; fid <= 0xFF; fid++) {
            // values the local features accept without changing how this connection behaves
            int cdw11 = switch (fid) {
                case 0x0B -> 0x900; // namespace attribute and ANA notices: the default
                case 0x0F -> 5000; // the keep-alive timeout the host connected with
                default -> 0;
            };
            String what = String.format("Set Features fid 0x%02x", fid);
            Outcome set = LinuxPassthruRules.admin(AdminOpcode.SET_FEATURES, fid, 0, Set.of());
            long getsBefore = device.executed(true, AdminOpcode.GET_FEATURES);
            Completion c = check(host.adminQueue(), device, true, sqe(AdminOpcode.SET_FEATURES, 0, fid, cdw11), 0,
                    set, what, failures);
            if (set == Outcome.HOST_BEHAVIOR) {
                // no 512-byte Host Behavior Support data: refused before asking the device for its value
                expect(failures, what, "status", Status.SGL_INVALID_DATA | Status.DNR, c.status());
                expect(failures, what, "device Get Features", 0,
                        device.executed(true, AdminOpcode.GET_FEATURES) - getsBefore);
            } else if (set == Outcome.LOCAL) {
                int want = fid == 0x81 ? Status.CMD_SEQ_ERROR | Status.DNR : Status.SUCCESS;
                expect(failures, what, "status", want, c.status());
            }

            what = String.format("Get Features fid 0x%02x", fid);
            Outcome get = LinuxPassthruRules.admin(AdminOpcode.GET_FEATURES, fid, 0, Set.of());
            c = check(host.adminQueue(), device, true, sqe(AdminOpcode.GET_FEATURES, 0, fid, 0), 0, get, what,
                    failures);
            if (get == Outcome.LOCAL) {
                // 81h needs a 16-byte buffer (none offered); the others answer from the fabrics controller
                expect(failures, what, "status code", fid == 0x81 ? Status.SGL_INVALID_DATA : Status.SUCCESS,
                        Status.code(c.status()));
            }
        }
        // Linux compares the FID against all of CDW10: a SEL or Save bit makes any feature unsupported
        check(host.adminQueue(), device, true, sqe(AdminOpcode.GET_FEATURES, 0, 0x06 | 1 << 8, 0), 0,
                Outcome.REJECT_UNSUPPORTED, "Get Features 06h SEL=1", failures);
        check(host.adminQueue(), device, true, sqe(AdminOpcode.SET_FEATURES, 0, 0x06 | 1 << 31, 0), 0,
                Outcome.REJECT_UNSUPPORTED, "Set Features 06h SV=1", failures);
        assertEquals(List.of(), failures);
    }

    @Test
    void everyIdentifyCns() throws Exception {
        List<String> failures = new ArrayList<>();
        for (int csi : new int[] {0x00, 0x02}) {
            for (int cns = 0; cns <= 0x1F; cns++) {
                ByteBuf sqe = sqe(AdminOpcode.IDENTIFY, 1, cns, 0);
                IdentifyCommand.set(sqe, cns, 1, csi);
                Outcome expected = LinuxPassthruRules.admin(AdminOpcode.IDENTIFY, cns, csi, Set.of());
                check(host.adminQueue(), target.device(), true, sqe, 4096, expected,
                        String.format("Identify CNS 0x%02x CSI %d", cns, csi), failures);
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void everyLogPageIsForwarded() throws Exception {
        List<String> failures = new ArrayList<>();
        for (int lid = 0; lid <= 0xFF; lid++) {
            assertEquals(Outcome.FORWARD, LinuxPassthruRules.admin(AdminOpcode.GET_LOG_PAGE, lid, 0, Set.of()));
            // RAE keeps the device's event state as it is; 512 bytes from offset 0
            ByteBuf sqe = Commands.getLogPage(lid, 0xFFFFFFFF, 512, 0, true);
            check(host.adminQueue(), target.device(), true, sqe, 512, Outcome.FORWARD,
                    String.format("Get Log Page 0x%02x", lid), failures);
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void everyIoOpcodeButReservationsIsForwarded() throws Exception {
        List<String> failures = new ArrayList<>();
        for (int opcode = 0; opcode <= 0xFF; opcode++) {
            Outcome expected = LinuxPassthruRules.io(opcode);
            String what = String.format("I/O opcode 0x%02x", opcode);
            Completion c = check(host.ioQueue(0), target.device(), false, sqe(opcode, SWEEP_NSID, 0, 0), 0,
                    expected, what, failures);
            if (expected == Outcome.LOCAL) {
                // no fabrics command is valid on an I/O queue without authentication
                expect(failures, what, "status", Status.INVALID_OPCODE | Status.DNR | Status.MORE, c.status());
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(host.isConnected());
    }
}
