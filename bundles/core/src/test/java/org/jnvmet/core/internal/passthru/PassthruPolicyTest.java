package org.jnvmet.core.internal.passthru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Set;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.junit.jupiter.api.Test;

/**
 * Every opcode, feature, CNS and flags value against tables written from Linux's passthru.c. Letters: F forward,
 * I forward + Identify fix-up, H host behaviour check, L local, R Invalid Opcode|DNR with the opcode as error
 * location, U Invalid Opcode|DNR without location, V Invalid Field (flags).
 */
class PassthruPolicyTest {
    /** Admin opcodes 00h-FFh, 16 per row, with CDW10 = 1 (Identify CNS 1, feature 1) and no flags. */
    private static final String[] ADMIN = {
        "RRFRRRIRRFFRLRRR", // 00: Get Log Page, Identify, Set/Get Features forwarded; AER local
        "RRRRRRRRLRRRRRRR", // 10: Keep Alive local; FW commit/download, NS attach, self-test... rejected
        "RRRRRRRRRRRRRRRR", // 20
        "RRRRRRRRRRRRRRRR", // 30
        "RRRRRRRRRRRRRRRR", // 40
        "RRRRRRRRRRRRRRRR", // 50
        "RRRRRRRRRRRRRRRR", // 60
        "RRRRRRRRRRRRRRRL", // 70: doorbell buffer config rejected, fabrics local
        "RRRRRRRRRRRRRRRR", // 80: Format, Security, Sanitize, Get LBA Status rejected
        "RRRRRRRRRRRRRRRR", // 90
        "RRRRRRRRRRRRRRRR", // A0
        "RRRRRRRRRRRRRRRR", // B0
        "FFFFFFFFFFFFFFFF", // C0: vendor specific forwarded unmodified
        "FFFFFFFFFFFFFFFF", // D0
        "FFFFFFFFFFFFFFFF", // E0
        "FFFFFFFFFFFFFFFF", // F0
    };

    /** Set Features by whole CDW10 = FID 00h-FFh. */
    private static final String[] SET_FEATURES = {
        "UFFFFFFLUUFLFUFL", // 00: queues, AEN config, KATO local; IRQ coalescing/config, HMB rejected
        "FFFFFUHFUUUUUUUU", // 10: host behaviour compared; FDP (1Dh) not settable
        "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU",
        "UUUUUUUUUUUUUUUU",
        "ULUUUUUUUUUUUUUU", // 80: software progress and reservation features rejected, host identifier local
        "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU",
        "FFFFFFFFFFFFFFFF", "FFFFFFFFFFFFFFFF", "FFFFFFFFFFFFFFFF", "FFFFFFFFFFFFFFFF", // C0-FF vendor
    };

    private static final String[] GET_FEATURES = {
        "UFFFFFFLUUFLFUFL",
        "FFFFFUFFUUUUUFUU", // host behaviour and FDP readable
        "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU",
        "UUUUUUUUUUUUUUUU",
        "ULUUUUUUUUUUUUUU",
        "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU", "UUUUUUUUUUUUUUUU",
        "FFFFFFFFFFFFFFFF", "FFFFFFFFFFFFFFFF", "FFFFFFFFFFFFFFFF", "FFFFFFFFFFFFFFFF",
    };

    private final PassthruPolicy linux = PassthruPolicy.linux();

    private static char letter(PassthruDecision d) {
        return switch (d.disposition()) {
            case FORWARD -> 'F';
            case FORWARD_IDENTIFY_FIXUP -> 'I';
            case HOST_BEHAVIOR_CHECK -> 'H';
            case LOCAL -> 'L';
            case REJECT -> d.status() == Status.INVALID_FIELD ? 'V'
                    : d.errorLocation() == 0 ? 'R' : 'U';
        };
    }

    private static char expected(String[] table, int value) {
        return table[value >> 4].charAt(value & 0xF);
    }

    @Test
    void everyAdminOpcode() {
        for (int op = 0; op < 256; op++) {
            assertEquals(expected(ADMIN, op), letter(linux.admin(op, 0, 1, 0)), String.format("opcode 0x%02x", op));
        }
    }

    @Test
    void rejectionsCarryLinuxStatuses() {
        PassthruDecision format = linux.admin(AdminOpcode.FORMAT_NVM, 0, 0, 0);
        assertEquals(Status.INVALID_OPCODE | Status.DNR, format.status());
        assertEquals(0, format.errorLocation());
        PassthruDecision feature = linux.admin(AdminOpcode.SET_FEATURES, 0, 0x08, 0);
        assertEquals(Status.INVALID_OPCODE | Status.DNR, feature.status());
        assertEquals(PassthruDecision.NO_ERROR_LOCATION, feature.errorLocation());
    }

    @Test
    void optInAllowlistForwardsOnlyTheNamedOpcodes() {
        PassthruPolicy p = PassthruPolicy.of(PassthruSpec.of("/dev/nvme0").withAllowedAdminOpcodes(
                Set.of(AdminOpcode.FORMAT_NVM, AdminOpcode.SANITIZE, AdminOpcode.FIRMWARE_DOWNLOAD,
                        AdminOpcode.FIRMWARE_COMMIT)));
        for (int op = 0; op < 256; op++) {
            char want = switch (op) {
                case AdminOpcode.FORMAT_NVM, AdminOpcode.SANITIZE, AdminOpcode.FIRMWARE_DOWNLOAD,
                        AdminOpcode.FIRMWARE_COMMIT -> 'F';
                default -> expected(ADMIN, op);
            };
            assertEquals(want, letter(p.admin(op, 0, 1, 0)), String.format("opcode 0x%02x", op));
        }
        PassthruPolicy formatOnly = new PassthruPolicy(Set.of(AdminOpcode.FORMAT_NVM));
        assertEquals('F', letter(formatOnly.admin(AdminOpcode.FORMAT_NVM, 0, 0, 0)));
        assertEquals('R', letter(formatOnly.admin(AdminOpcode.SANITIZE, 0, 0, 0)));
        assertThrows(IllegalArgumentException.class,
                () -> new PassthruPolicy(Set.of(AdminOpcode.NAMESPACE_MANAGEMENT)));
        assertThrows(IllegalArgumentException.class,
                () -> PassthruSpec.of("/dev/nvme0").withAllowedAdminOpcodes(Set.of(AdminOpcode.SECURITY_SEND)));
    }

    @Test
    void everyFeatureIdentifier() {
        for (int fid = 0; fid < 256; fid++) {
            assertEquals(expected(SET_FEATURES, fid), letter(linux.admin(AdminOpcode.SET_FEATURES, 0, fid, 0)),
                    String.format("set feature 0x%02x", fid));
            assertEquals(expected(GET_FEATURES, fid), letter(linux.admin(AdminOpcode.GET_FEATURES, 0, fid, 0)),
                    String.format("get feature 0x%02x", fid));
        }
    }

    @Test
    void featureIsComparedAgainstTheWholeCdw10() {
        int sel1 = 1 << FeaturesCommand.SEL_SHIFT;
        assertEquals('U', letter(linux.admin(AdminOpcode.GET_FEATURES, 0, 0x01 | sel1, 0)));
        assertEquals('U', letter(linux.admin(AdminOpcode.GET_FEATURES, 0, 0x07 | sel1, 0)), "even local ones");
        assertEquals('U', letter(linux.admin(AdminOpcode.SET_FEATURES, 0, 0x16 | FeaturesCommand.SV_BIT, 0)));
        assertEquals('U', letter(linux.admin(AdminOpcode.SET_FEATURES, 0, 0x0B | FeaturesCommand.SV_BIT, 0)));
        assertEquals('F', letter(linux.admin(AdminOpcode.SET_FEATURES, 0, 0xC5, 0)));
        assertEquals('U', letter(linux.admin(AdminOpcode.SET_FEATURES, 0, 0xC5 | FeaturesCommand.SV_BIT, 0)));
    }

    @Test
    void everyIdentifyCns() {
        for (int cns = 0; cns < 256; cns++) {
            char nvm = switch (cns) {
                case 0x00, 0x01, 0x03 -> 'I';
                case 0x05, 0x06 -> 'U';
                default -> 'F';
            };
            char zns = cns == 0x05 || cns == 0x06 ? 'F' : nvm;
            // CNTID in CDW10 bits 31:16 does not change the decision
            int cdw10 = cns | 0x1234 << 16;
            assertEquals(nvm, letter(linux.admin(AdminOpcode.IDENTIFY, 0, cdw10, 0)), "cns " + cns);
            assertEquals(zns, letter(linux.admin(AdminOpcode.IDENTIFY, 0, cdw10, 2)), "cns " + cns + " csi ZNS");
            assertEquals(nvm, letter(linux.admin(AdminOpcode.IDENTIFY, 0, cdw10, 1)), "cns " + cns + " csi KV");
        }
    }

    @Test
    void everyFlagsValue() {
        for (int flags = 0; flags < 256; flags++) {
            char want = (flags & ~0xC0) != 0 ? 'V' : 'F';
            assertEquals(want, letter(linux.admin(AdminOpcode.GET_LOG_PAGE, flags, 1, 0)), "admin flags " + flags);
            assertEquals(want, letter(linux.admin(0xC1, flags, 1, 0)), "vendor admin flags " + flags);
            assertEquals(want, letter(linux.io(0x02, flags)), "io flags " + flags);
            // fabrics commands are the target's own business whatever their flags
            assertEquals('L', letter(linux.admin(AdminOpcode.FABRICS, flags, 1, 0)));
        }
        PassthruDecision fused = linux.admin(AdminOpcode.GET_LOG_PAGE, 0x01, 1, 0);
        assertEquals(Status.INVALID_FIELD, fused.status());
        assertEquals(PassthruDecision.NO_ERROR_LOCATION, fused.errorLocation());
    }

    @Test
    void everyIoOpcode() {
        for (int op = 0; op < 256; op++) {
            char want = switch (op) {
                case 0x0D, 0x0E, 0x11, 0x15 -> 'U'; // reservations
                case 0x7F -> 'L';
                default -> 'F'; // vendor specific included
            };
            assertEquals(want, letter(linux.io(op, 0)), String.format("io opcode 0x%02x", op));
        }
    }

    @Test
    void readsTheSqe() {
        ByteBuf sqe = Unpooled.buffer(64).writeZero(64);
        IdentifyCommand.set(sqe, 0x05, 1, 2);
        assertSame(PassthruDecision.FORWARD, linux.admin(sqe));
        IdentifyCommand.set(sqe, 0x05, 1, 0);
        assertSame(PassthruDecision.REJECT_UNSUPPORTED, linux.admin(sqe));
        SubmissionQueueEntry.setOpcode(sqe, 0x11);
        SubmissionQueueEntry.setFlags(sqe, 0x40);
        assertSame(PassthruDecision.REJECT_UNSUPPORTED, linux.io(sqe));
        SubmissionQueueEntry.setOpcode(sqe, 0x81);
        assertSame(PassthruDecision.FORWARD, linux.io(sqe));
        sqe.release();
    }
}
