package procsh.groovy;

import java.util.List;

/**
 * What TAB may insert: each candidate replaces the text from {@code start} to the cursor.
 * For {@code p.ki|} start is just after the dot and the candidates are {@code kill(}, ...
 */
public record Completions(int start, List<String> candidates) {

    public Completions {
        candidates = List.copyOf(candidates);
    }

    static Completions none(int cursor) {
        return new Completions(cursor, List.of());
    }
}
