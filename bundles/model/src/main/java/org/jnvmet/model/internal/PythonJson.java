package org.jnvmet.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Writes JSON exactly as Python's {@code json.dumps(obj, sort_keys=True, indent=2)} does (what {@code nvmetcli
 * save} writes): two-space indent, {@code ": "} after keys, sorted keys, non-ASCII escaped as {@code \\uXXXX}. A
 * file saved here and one saved by nvmetcli from the same configuration are byte-for-byte comparable.
 */
final class PythonJson {
    private PythonJson() {
    }

    static String write(JsonNode node) {
        StringBuilder sb = new StringBuilder(4096);
        write(node, sb, 0);
        sb.append('\n');
        return sb.toString();
    }

    private static void indent(StringBuilder sb, int level) {
        sb.append('\n');
        for (int i = 0; i < level; i++) {
            sb.append("  ");
        }
    }

    private static void write(JsonNode node, StringBuilder sb, int level) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                sb.append("{}");
                return;
            }
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                keys.add(it.next());
            }
            keys.sort(null);
            sb.append('{');
            for (int i = 0; i < keys.size(); i++) {
                indent(sb, level + 1);
                string(keys.get(i), sb);
                sb.append(": ");
                write(node.get(keys.get(i)), sb, level + 1);
                if (i + 1 < keys.size()) {
                    sb.append(',');
                }
            }
            indent(sb, level);
            sb.append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                indent(sb, level + 1);
                write(node.get(i), sb, level + 1);
                if (i + 1 < node.size()) {
                    sb.append(',');
                }
            }
            indent(sb, level);
            sb.append(']');
        } else if (node.isTextual()) {
            string(node.textValue(), sb);
        } else if (node.isNull() || node.isMissingNode()) {
            sb.append("null");
        } else {
            sb.append(node.asText());
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
