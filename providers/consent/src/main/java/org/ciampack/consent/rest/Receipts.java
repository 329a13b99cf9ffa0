package org.ciampack.consent.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.ciampack.consent.ledger.ReceiptEntity;

/** Receipts as the APIs show them: JSON, and CSV lines for auditors. */
final class Receipts {

    static final String CSV_HEADER = "receipt,user,seq,purpose,version,decision,decidedAt,source,client,ipAddress,"
            + "userAgent,pseudonymous";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Receipts() {
    }

    static ObjectNode json(ReceiptEntity receipt, boolean withUser) {
        ObjectNode node = JSON.createObjectNode();
        node.put("receipt", receipt.getId());
        if (withUser) {
            node.put("user", receipt.getUserId());
        }
        node.put("seq", receipt.getSeq());
        node.put("purpose", receipt.getPurpose());
        node.put("version", receipt.getVersion());
        node.put("decision", receipt.getDecision());
        node.put("decidedAt", Instant.ofEpochMilli(receipt.getDecidedAt()).toString());
        node.put("source", receipt.getSource());
        node.put("client", receipt.getClientId());
        node.put("ipAddress", receipt.getIpAddress());
        node.put("userAgent", receipt.getUserAgent());
        if (withUser) {
            node.put("pseudonymous", receipt.isPseudonymous());
        }
        return node;
    }

    static String csv(ReceiptEntity receipt) {
        return String.join(",", cell(receipt.getId()), cell(receipt.getUserId()), String.valueOf(receipt.getSeq()),
                cell(receipt.getPurpose()), String.valueOf(receipt.getVersion()), cell(receipt.getDecision()),
                Instant.ofEpochMilli(receipt.getDecidedAt()).toString(), cell(receipt.getSource()),
                cell(receipt.getClientId()), cell(receipt.getIpAddress()), cell(receipt.getUserAgent()),
                String.valueOf(receipt.isPseudonymous()));
    }

    /**
     * RFC 4180 quoting, and a leading quote on anything a spreadsheet would run as a formula (a user agent is
     * whatever the browser sent).
     */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String text = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
