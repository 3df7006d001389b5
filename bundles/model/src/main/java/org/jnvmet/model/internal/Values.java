package org.jnvmet.model.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parsers for configfs attribute values. Each accepts what the Linux target's store function accepts and returns the
 * text its show function prints, so a value read back equals what {@code nvmetcli save} writes. A refused value throws
 * {@link IllegalArgumentException} whose message becomes the text after {@code "<path>: "}.
 */
final class Values {
    private Values() {
    }

    /** Turns a raw value into its canonical text, or refuses it. */
    @FunctionalInterface
    interface Normalizer {
        String normalize(String raw);
    }

    /** NVMF_NQN_SIZE: an NQN is at most 223 bytes of UTF-8. */
    static final int NQN_MAX_BYTES = 223;
    /** NVMET_SN_MAX_SIZE, NVMET_MN_MAX_SIZE, NVMET_FR_MAX_SIZE. */
    static final int SERIAL_MAX = 20;
    static final int MODEL_MAX = 40;
    static final int FIRMWARE_MAX = 8;
    /** NVME_CNTLID_MAX: controller ids 0xFFF0..0xFFFF are reserved. */
    static final int CNTLID_MAX = 0xFFEF;
    /** NVMET_NR_QUEUES. */
    static final int QID_MAX = 128;
    /** NVMET_MAX_ANAGRPS. */
    static final int ANA_GROUPS_MAX = 128;
    /** NVMET_MIN_QUEUE_SIZE / NVMET_MAX_QUEUE_SIZE. */
    static final int QUEUE_SIZE_MIN = 16;
    static final int QUEUE_SIZE_MAX = 1024;
    /** NVMF_TRADDR_SIZE and NVMF_TRSVCID_SIZE include the terminating NUL. */
    static final int TRADDR_MAX = 255;
    static final int TRSVCID_MAX = 31;
    static final int PATH_MAX = 4095;

    /** configfs writes usually end with the newline echo adds; the kernel stops at it. */
    static String chomp(String raw) {
        if (raw == null) {
            throw new IllegalArgumentException("missing value");
        }
        return raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
    }

    /** kstrtobool: 1/0, y/n, on/off (and the words they begin). */
    static final Normalizer BOOL = raw -> {
        String v = chomp(raw).trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "1", "y", "yes", "t", "true", "on":
                return "1";
            case "0", "n", "no", "f", "false", "off":
                return "0";
            default:
                throw new IllegalArgumentException("not a boolean (use 1 or 0)");
        }
    };

    /** kstrtou16, kstrtou32, kstrtoint with base 0: decimal, 0x hex or 0 octal; a sign for signed types. */
    static long parseAutoBase(String raw, boolean signed) {
        String v = chomp(raw).trim();
        boolean negative = false;
        if (signed && v.startsWith("-")) {
            negative = true;
            v = v.substring(1);
        } else if (v.startsWith("+")) {
            v = v.substring(1);
        }
        int radix = 10;
        if (v.startsWith("0x") || v.startsWith("0X")) {
            radix = 16;
            v = v.substring(2);
        } else if (v.length() > 1 && v.startsWith("0")) {
            radix = 8;
            v = v.substring(1);
        }
        if (v.isEmpty() || v.length() > 20) {
            throw new IllegalArgumentException("not a number");
        }
        try {
            long n = Long.parseLong(v, radix);
            return negative ? -n : n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }

    /** sscanf("%hu"): decimal only. */
    static long parseDecimal(String raw) {
        String v = chomp(raw).trim();
        if (!v.matches("[0-9]{1,10}")) {
            throw new IllegalArgumentException("not a decimal number");
        }
        return Long.parseLong(v);
    }

    static Normalizer decimalRange(long min, long max) {
        return raw -> {
            long n = parseDecimal(raw);
            requireRange(n, min, max);
            return Long.toString(n);
        };
    }

    static Normalizer autoRange(long min, long max, boolean signed) {
        return raw -> {
            long n = parseAutoBase(raw, signed);
            requireRange(n, min, max);
            return Long.toString(n);
        };
    }

    /** A value shown as {@code 0x%0<width>x} (attr_ieee_oui, attr_vendor_id). */
    static Normalizer hexShown(long max, int width) {
        return raw -> {
            long n = parseAutoBase(raw, false);
            requireRange(n, 0, max);
            return width > 0 ? String.format("0x%0" + width + "x", n) : "0x" + Long.toHexString(n);
        };
    }

    /** An int where -1 means "let the transport choose", else {@code min..max}. */
    static Normalizer defaultOrRange(long min, long max) {
        return raw -> {
            long n = parseAutoBase(raw, true);
            if (n != -1 && (n < min || n > max)) {
                throw new IllegalArgumentException("must be " + min + ".." + max + " (or -1 for the transport default)");
            }
            return Long.toString(n);
        };
    }

    static void requireRange(long n, long min, long max) {
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be " + min + ".." + max);
        }
    }

    /**
     * An enumeration matched like sysfs_streq. {@code names} maps every accepted input to the name shown;
     * {@code allowEmpty} accepts "" for attributes the kernel shows as empty while unset.
     */
    static Normalizer enumeration(Map<String, String> names, boolean allowEmpty) {
        List<String> shown = names.values().stream().distinct().toList();
        return raw -> {
            String v = chomp(raw);
            if (v.isEmpty() && allowEmpty) {
                return "";
            }
            String canonical = names.get(v);
            if (canonical == null) {
                throw new IllegalArgumentException("unknown value '" + v + "' (one of: " + String.join(", ", shown) + ")");
            }
            return canonical;
        };
    }

    static Normalizer enumeration(boolean allowEmpty, String... names) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String n : names) {
            map.put(n, n);
        }
        return enumeration(map, allowEmpty);
    }

    /** attr_serial / attr_model / attr_firmware: 1..max printable ASCII characters (NVMe base spec 1.5). */
    static Normalizer ascii(int max) {
        return raw -> {
            String v = chomp(raw);
            if (v.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            if (v.length() > max) {
                throw new IllegalArgumentException("longer than " + max + " characters");
            }
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    throw new IllegalArgumentException("contains a character that is not printable ASCII");
                }
            }
            return v;
        };
    }

    private static final Pattern VERSION = Pattern.compile("([0-9]{1,5})\\.([0-9]{1,3})(?:\\.([0-9]{1,3}))?");

    /** attr_version: "major.minor[.tertiary]" for NVME_VS (16, 8 and 8 bits); shown without a zero tertiary. */
    static final Normalizer VERSION_NUMBER = raw -> {
        var m = VERSION.matcher(chomp(raw).trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a version (expected major.minor[.tertiary], e.g. 1.3)");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int tertiary = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        if (major > 0xFFFF || minor > 0xFF || tertiary > 0xFF) {
            throw new IllegalArgumentException("version part out of range (major 0..65535, minor and tertiary 0..255)");
        }
        return tertiary == 0 ? major + "." + minor : major + "." + minor + "." + tertiary;
    };

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** device_uuid: uuid_parse's 36-character form, shown in lower case. */
    static final Normalizer UUID = raw -> {
        String v = chomp(raw).trim();
        if (!UUID_TEXT.matcher(v).matches()) {
            throw new IllegalArgumentException("not a UUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
        }
        return v.toLowerCase(Locale.ROOT);
    };

    /** device_nguid: 16 hex byte pairs, each optionally followed by '-' or ':'; shown like a UUID (%pUb). */
    static final Normalizer NGUID = raw -> {
        String v = chomp(raw).trim();
        StringBuilder hex = new StringBuilder(32);
        int p = 0;
        for (int i = 0; i < 16; i++) {
            if (p + 2 > v.length() || Character.digit(v.charAt(p), 16) < 0 || Character.digit(v.charAt(p + 1), 16) < 0) {
                throw new IllegalArgumentException("not an NGUID (expected 16 hex bytes, e.g. a UUID)");
            }
            hex.append(v, p, p + 2);
            p += 2;
            if (p < v.length() && (v.charAt(p) == '-' || v.charAt(p) == ':')) {
                p++;
            }
        }
        if (p != v.length()) {
            throw new IllegalArgumentException("not an NGUID (trailing characters)");
        }
        String h = hex.toString().toLowerCase(Locale.ROOT);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    };

    /** A path such as device_path: non-empty, one line. */
    static final Normalizer PATH = raw -> {
        String v = chomp(raw);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        if (v.length() > PATH_MAX) {
            throw new IllegalArgumentException("longer than " + PATH_MAX + " characters");
        }
        if (v.indexOf('\n') >= 0 || v.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("contains a newline or NUL");
        }
        return v;
    };

    /** addr_traddr / addr_trsvcid: one token (the kernel reads it with %s), bounded by the discovery log field. */
    static Normalizer token(int max) {
        return raw -> {
            String v = chomp(raw);
            if (v.length() > max) {
                throw new IllegalArgumentException("longer than " + max + " characters");
            }
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c <= 0x20 || c > 0x7e) {
                    throw new IllegalArgumentException("contains whitespace or a non-ASCII character");
                }
            }
            return v;
        };
    }

    private static final Pattern DHCHAP_KEY = Pattern.compile("DHHC-1:0[0-3]:[A-Za-z0-9+/]+={0,2}:");

    /** dhchap_key / dhchap_ctrl_key: the NVMe secret representation "DHHC-1:hh:base64:" ("" clears it). */
    static final Normalizer DHCHAP_KEY_TEXT = raw -> {
        String v = chomp(raw).trim();
        if (!v.isEmpty() && !DHCHAP_KEY.matcher(v).matches()) {
            throw new IllegalArgumentException("not a DH-HMAC-CHAP secret (expected DHHC-1:<hash id>:<base64>:)");
        }
        return v;
    };

    // --- NQNs: NVMe base specification 4.5 "NVMe Qualified Names" ---

    private static final Pattern NQN_DATE_FORM =
            Pattern.compile("nqn\\.[0-9]{4}-(0[1-9]|1[0-2])" // nqn.yyyy-mm
                    + "\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*" // domain
                    + "(:.+)?");
    static final String UUID_NQN_PREFIX = "nqn.2014-08.org.nvmexpress:uuid:";

    /**
     * Why {@code nqn} is not acceptable, or null. Strict: the spec's two forms, {@code nqn.yyyy-mm.<reverse domain>[:
     * <string>]} and {@code nqn.2014-08.org.nvmexpress:uuid:<uuid>}. Kernel: any name configfs takes (what the Linux
     * target accepts, e.g. blktests' "blktests-subsystem-1"). Both: at most 223 bytes, no '/', no control characters.
     */
    static String nqnProblem(String nqn, boolean strict) {
        if (nqn.isEmpty()) {
            return "empty NQN";
        }
        if (nqn.getBytes(StandardCharsets.UTF_8).length > NQN_MAX_BYTES) {
            return "NQN longer than " + NQN_MAX_BYTES + " bytes";
        }
        for (int i = 0; i < nqn.length(); i++) {
            char c = nqn.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || Character.isWhitespace(c)) {
                return "NQN contains whitespace, a control character or '/'";
            }
        }
        if (!strict) {
            return null;
        }
        if (nqn.startsWith(UUID_NQN_PREFIX)) {
            return UUID_TEXT.matcher(nqn.substring(UUID_NQN_PREFIX.length())).matches() ? null
                    : "not a valid NQN (nqn.2014-08.org.nvmexpress:uuid: must be followed by a UUID)";
        }
        return NQN_DATE_FORM.matcher(nqn).matches() ? null
                : "not a valid NQN (expected nqn.yyyy-mm.<reverse domain>[:<name>] or "
                        + "nqn.2014-08.org.nvmexpress:uuid:<uuid>)";
    }

    /** discovery_nqn: any name the kernel accepts (the well-known one is not in the strict form). */
    static final Normalizer NQN_ANY = raw -> {
        String v = chomp(raw);
        String problem = nqnProblem(v, false);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return v;
    };

    /**
     * Admin opcodes the Linux target never forwards that a passthru subsystem may opt in to (jnvmet extra): Firmware
     * Commit 0x10, Firmware Image Download 0x11, Format NVM 0x80, Sanitize 0x84. Shown sorted, comma separated.
     */
    static final java.util.Set<Integer> OPT_IN_ADMIN_OPCODES = java.util.Set.of(0x10, 0x11, 0x80, 0x84);

    static final Normalizer ADMIN_OPCODES = raw -> {
        String v = chomp(raw).trim();
        java.util.TreeSet<Integer> opcodes = new java.util.TreeSet<>();
        for (String part : v.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            long op = parseAutoBase(part, false);
            if (!OPT_IN_ADMIN_OPCODES.contains((int) op)) {
                throw new IllegalArgumentException(String.format("admin opcode 0x%02x cannot be allowed (only 0x10 "
                        + "Firmware Commit, 0x11 Firmware Image Download, 0x80 Format NVM, 0x84 Sanitize)", op));
            }
            opcodes.add((int) op);
        }
        return String.join(",", opcodes.stream().map(o -> String.format("0x%02x", o)).toList());
    };

    static java.util.Set<Integer> parseOpcodes(String canonical) {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        for (String part : canonical.split(",")) {
            if (!part.isEmpty()) {
                out.add((int) parseAutoBase(part, false));
            }
        }
        return out;
    }

    /** Object names that are numbers (nsid, portid, grpid): canonical decimal. */
    static long parseObjectNumber(String name, String what) {
        if (!name.matches("0|[1-9][0-9]{0,17}")) {
            throw new IllegalArgumentException(what + " must be a decimal number without leading zeros");
        }
        return Long.parseLong(name);
    }
}
