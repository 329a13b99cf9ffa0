package org.ciampack.risk.geo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ciampack.risk.net.IpAddress;

/**
 * Writes small MaxMind DB files (format 2.0, IPv6 tree, 24-bit records) that MaxMind's own reader reads like a
 * GeoIP2/GeoLite2 database: for tests and the demo, which map documentation networks to places of their choosing.
 * IPv4 networks live under ::/96, where readers look IPv4 addresses up. Overlapping networks are refused, so
 * every address has exactly the record it was given.
 */
public final class MaxMindDbWriter {

    private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
            'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};
    private static final int RECORD_BITS = 24;

    private final String databaseType;
    private final String description;
    private final Node root = new Node();
    private final List<Map<String, Object>> records = new ArrayList<>();

    public MaxMindDbWriter(String databaseType, String description) {
        this.databaseType = databaseType;
        this.description = description;
    }

    /** Gives every address of {@code cidr} (e.g. {@code 203.0.113.0/24}, {@code 2001:db8::/32}) this record. */
    public MaxMindDbWriter insert(String cidr, Map<String, Object> record) {
        int slash = cidr.indexOf('/');
        InetAddress address = IpAddress.parse(slash < 0 ? cidr : cidr.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("not a network: '" + cidr + "'"));
        boolean v4 = address instanceof Inet4Address;
        int length;
        try {
            length = slash < 0 ? (v4 ? 32 : 128) : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a network: '" + cidr + "'");
        }
        if (length < 1 || length > (v4 ? 32 : 128)) {
            throw new IllegalArgumentException("prefix length out of range in '" + cidr + "'");
        }
        byte[] bits = new byte[16];
        byte[] raw = address.getAddress();
        System.arraycopy(raw, 0, bits, v4 ? 12 : 0, raw.length); // IPv4 a.b.c.d is ::a.b.c.d
        records.add(Map.copyOf(record));
        root.insert(bits, (v4 ? 96 : 0) + length, 0, records.size() - 1, cidr);
        return this;
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, toBytes());
    }

    public byte[] toBytes() {
        List<Node> nodes = numberNodes();
        int nodeCount = nodes.size();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int[] dataOffsets = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            dataOffsets[i] = data.size();
            encode(records.get(i), data);
        }
        if (nodeCount + 16L + data.size() >= 1L << RECORD_BITS) {
            throw new IllegalStateException("too large for 24-bit records");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node node : nodes) {
            writeRecord(out, node.zero, nodeCount, dataOffsets);
            writeRecord(out, node.one, nodeCount, dataOffsets);
        }
        out.writeBytes(new byte[16]); // the data section separator
        out.writeBytes(data.toByteArray());
        out.writeBytes(METADATA_MARKER);
        writeMetadata(out, nodeCount);
        return out.toByteArray();
    }

    /** Tree nodes in breadth-first order: the root is node 0. */
    private List<Node> numberNodes() {
        List<Node> nodes = new ArrayList<>();
        Deque<Node> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            Node node = queue.removeFirst();
            node.number = nodes.size();
            nodes.add(node);
            for (Node child : new Node[] {node.zero, node.one}) {
                if (child != null && child.record < 0) {
                    queue.addLast(child);
                }
            }
        }
        return nodes;
    }

    /** A record points to a node, to data (node count + 16 + offset), or nowhere (the node count). */
    private static void writeRecord(ByteArrayOutputStream out, Node child, int nodeCount, int[] dataOffsets) {
        int value;
        if (child == null) {
            value = nodeCount;
        } else if (child.record >= 0) {
            value = nodeCount + 16 + dataOffsets[child.record];
        } else {
            value = child.number;
        }
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private void writeMetadata(ByteArrayOutputStream out, int nodeCount) {
        writeControl(out, 7, 9); // a map of nine entries
        encode("binary_format_major_version", out);
        writeUnsigned(out, 5, BigInteger.TWO);
        encode("binary_format_minor_version", out);
        writeUnsigned(out, 5, BigInteger.ZERO);
        encode("build_epoch", out);
        writeUnsigned(out, 9, BigInteger.valueOf(Instant.now().getEpochSecond()));
        encode("database_type", out);
        encode(databaseType, out);
        encode("description", out);
        encode(Map.of("en", description), out);
        encode("ip_version", out);
        writeUnsigned(out, 5, BigInteger.valueOf(6));
        encode("languages", out);
        encode(List.of("en"), out);
        encode("node_count", out);
        writeUnsigned(out, 6, BigInteger.valueOf(nodeCount));
        encode("record_size", out);
        writeUnsigned(out, 5, BigInteger.valueOf(RECORD_BITS));
    }

    /** The data section's encoding of plain Java values. */
    private static void encode(Object value, ByteArrayOutputStream out) {
        if (value instanceof String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            writeControl(out, 2, utf8.length);
            out.writeBytes(utf8);
        } else if (value instanceof Map<?, ?> map) {
            writeControl(out, 7, map.size());
            for (Map.Entry<?, ?> entry : new LinkedHashMap<>(map).entrySet()) {
                encode(String.valueOf(entry.getKey()), out);
                encode(entry.getValue(), out);
            }
        } else if (value instanceof List<?> list) {
            writeControl(out, 11, list.size());
            list.forEach(element -> encode(element, out));
        } else if (value instanceof Boolean flag) {
            writeControl(out, 14, flag ? 1 : 0);
        } else if (value instanceof Double || value instanceof Float) {
            writeControl(out, 3, 8);
            out.writeBytes(ByteBuffer.allocate(8).putDouble(((Number) value).doubleValue()).array());
        } else if (value instanceof Integer number && number < 0) {
            writeControl(out, 8, 4);
            out.writeBytes(ByteBuffer.allocate(4).putInt(number).array());
        } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            BigInteger number = value instanceof BigInteger big ? big : BigInteger.valueOf(((Number) value).longValue());
            if (number.signum() < 0) {
                throw new IllegalArgumentException("negative numbers other than int are not supported: " + value);
            }
            int bits = number.bitLength();
            writeUnsigned(out, bits <= 32 ? 6 : bits <= 64 ? 9 : 10, number);
        } else {
            throw new IllegalArgumentException("cannot store " + (value == null ? "null" : value.getClass().getName()));
        }
    }

    /** uint16 (5), uint32 (6), uint64 (9) or uint128 (10): big-endian with leading zero bytes dropped. */
    private static void writeUnsigned(ByteArrayOutputStream out, int type, BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = 0;
        while (skip < bytes.length && bytes[skip] == 0) {
            skip++;
        }
        writeControl(out, type, bytes.length - skip);
        out.write(bytes, skip, bytes.length - skip);
    }

    /** Control byte: type in the top three bits (0 plus a following byte for types above 7), then the size. */
    private static void writeControl(ByteArrayOutputStream out, int type, int size) {
        int typeBits = type <= 7 ? type << 5 : 0;
        if (size < 29) {
            out.write(typeBits | size);
            writeExtendedType(out, type);
        } else if (size < 29 + 256) {
            out.write(typeBits | 29);
            writeExtendedType(out, type);
            out.write(size - 29);
        } else if (size < 285 + 65_536) {
            out.write(typeBits | 30);
            writeExtendedType(out, type);
            int rest = size - 285;
            out.write(rest >>> 8);
            out.write(rest);
        } else {
            out.write(typeBits | 31);
            writeExtendedType(out, type);
            int rest = size - 65_821;
            out.write(rest >>> 16);
            out.write(rest >>> 8);
            out.write(rest);
        }
    }

    private static void writeExtendedType(ByteArrayOutputStream out, int type) {
        if (type > 7) {
            out.write(type - 7);
        }
    }

    /** A node of the binary search tree over address bits; a leaf holds the index of a record. */
    private static final class Node {
        Node zero;
        Node one;
        int record = -1;
        int number;

        void insert(byte[] address, int length, int depth, int recordIndex, String cidr) {
            boolean bit = (address[depth / 8] & (0x80 >>> (depth % 8))) != 0;
            Node child = bit ? one : zero;
            if (depth == length - 1) {
                if (child != null) {
                    throw new IllegalArgumentException(cidr + " overlaps a network inserted before");
                }
                Node leaf = new Node();
                leaf.record = recordIndex;
                if (bit) {
                    one = leaf;
                } else {
                    zero = leaf;
                }
                return;
            }
            if (child == null) {
                child = new Node();
                if (bit) {
                    one = child;
                } else {
                    zero = child;
                }
            } else if (child.record >= 0) {
                throw new IllegalArgumentException(cidr + " lies inside a network inserted before");
            }
            child.insert(address, length, depth + 1, recordIndex, cidr);
        }
    }
}
