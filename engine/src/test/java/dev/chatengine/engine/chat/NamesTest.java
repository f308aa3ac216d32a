package dev.chatengine.engine.chat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NamesTest {

    @Test
    void userNamesAreNormalizedToNfcAndCountedInCodePoints() {
        assertThat(Names.validUserName("e\u0301", 32)).isEqualTo("\u00e9");
        assertThat(Names.validUserName("𝒜".repeat(32), 32)).isNotNull(); // 64 UTF-16 units, 32 letters
        assertThat(Names.validUserName("𝒜".repeat(33), 32)).isNull();
        assertThat(Names.validUserName("a".repeat(10_000), 32)).isNull();
        assertThat(Names.validUserName("a_-0", 32)).isEqualTo("a_-0");
        assertThat(Names.validUserName("_-0", 32)).as("the first is a letter").isNull();
        assertThat(Names.validUserName("अनिल", 32)).as("vowel signs are combining marks").isEqualTo("अनिल");
        assertThat(Names.validUserName("\u0301a", 32)).as("a mark cannot come first").isNull();
        assertThat(Names.validUserName("a\u200Db", 32)).as("zero-width joiner, a format character").isNull();
        assertThat(Names.validUserName("a\u00B2", 32)).as("superscript two is a digit but not a decimal one").isNull();
        assertThat(Names.validUserName("a\u0000", 32)).isNull();
        assertThat(Names.validUserName("a\u200Bb", 32)).isNull(); // zero-width space
    }

    @Test
    void keysIgnoreCaseAndCompatibilityForms() {
        assertThat(Names.key("Alice")).isEqualTo(Names.key("aLICE")).isEqualTo(Names.key("\uFF21\uFF4C\uFF49\uFF43\uFF45"));
        assertThat(Names.key("Straße")).isEqualTo(Names.key("STRASSE"));
        assertThat(Names.key("Σίσυφος")).isEqualTo(Names.key("ΣΊΣΥΦΟΣ"));
        assertThat(Names.key("alice")).isNotEqualTo(Names.key("alicia"));
    }

    @Test
    void roomNames() {
        assertThat(Names.isValidRoom("lobby")).isTrue();
        assertThat(Names.isValidRoom("a-b_c-09")).isTrue();
        assertThat(Names.isValidRoom("x".repeat(64))).isTrue();
        assertThat(Names.isValidRoom("x".repeat(65))).isFalse();
        assertThat(Names.isValidRoom("")).isFalse();
        assertThat(Names.isValidRoom("Lobby")).isFalse();
        assertThat(Names.isValidRoom("lob by")).isFalse();
        assertThat(Names.isValidRoom("café")).isFalse();
    }

    @Test
    void codePointsAreCountedNoFurtherThanNeeded() {
        assertThat(Names.codePointsUpTo("abc", 5)).isEqualTo(3);
        assertThat(Names.codePointsUpTo("😀😀😀", 3)).isEqualTo(3);
        assertThat(Names.codePointsUpTo("😀😀😀😀", 3)).isEqualTo(4);
        assertThat(Names.codePointsUpTo("x".repeat(1_000_000), 10)).isEqualTo(11);
    }
}
