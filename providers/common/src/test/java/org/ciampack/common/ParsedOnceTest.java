package org.ciampack.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedOnceTest {

    private final List<String> parsedTexts = new ArrayList<>();
    private final ParsedOnce<String, List<String>> cache = new ParsedOnce<>(text -> {
        parsedTexts.add(text);
        return text == null ? List.of() : List.of(text.split(","));
    });

    @Test
    void theSameConfigurationIsParsedOnceAndSharedByEveryRead() {
        List<String> first = cache.of("a,b");
        List<String> second = cache.of(new String("a,b")); // equal text, another instance: as a realm reload gives

        assertThat(second).isSameAs(first).containsExactly("a", "b");
        assertThat(parsedTexts).containsExactly("a,b");
    }

    @Test
    void aChangedConfigurationIsParsedAtItsFirstRead() {
        cache.of("a,b");

        assertThat(cache.of("a,b,c")).containsExactly("a", "b", "c");
        assertThat(cache.of("a,b")).containsExactly("a", "b");
        assertThat(parsedTexts).containsExactly("a,b", "a,b,c");
    }

    @Test
    void noConfigurationIsParsedEachTimeAndNotKept() {
        assertThat(cache.of(null)).isEmpty();
        assertThat(cache.of(null)).isEmpty();

        assertThat(parsedTexts).containsExactly(null, null);
    }

    @Test
    void churnedConfigurationsStartOverInsteadOfGrowingWithoutBound() {
        for (int i = 0; i <= ParsedOnce.MAX_ENTRIES; i++) {
            cache.of("text-" + i);
        }
        cache.of("text-0");

        assertThat(parsedTexts).hasSize(ParsedOnce.MAX_ENTRIES + 2).endsWith("text-0");
        cache.of("text-" + ParsedOnce.MAX_ENTRIES);
        assertThat(parsedTexts).as("kept after the start-over").hasSize(ParsedOnce.MAX_ENTRIES + 2);
    }
}
