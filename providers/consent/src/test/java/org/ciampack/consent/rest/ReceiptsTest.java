package org.ciampack.consent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceiptsTest {

    @Test
    void csvCellsAreQuotedAndFormulasDisarmed() {
        assertThat(Receipts.cell("Mozilla/5.0 (X11, Linux)")).isEqualTo("\"Mozilla/5.0 (X11, Linux)\"");
        assertThat(Receipts.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Receipts.cell("=HYPERLINK(\"http://evil\")")).startsWith("\"'=HYPERLINK(");
        assertThat(Receipts.cell(null)).isEmpty();
    }
}
