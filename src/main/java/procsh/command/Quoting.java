package procsh.command;

import java.util.List;

/** Words written back as the command language reads them ({@link LineSplitter}): quoted only where needed. */
public final class Quoting {

    private Quoting() {
    }

    /** {@code word}, or {@code 'it'\''s'} when it holds anything but letters, digits and a few safe marks. */
    public static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,@%+".indexOf(c) >= 0)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** A command line: the command and each word quoted. */
    public static String join(String command, List<String> words) {
        StringBuilder b = new StringBuilder(command);
        words.forEach(w -> b.append(' ').append(quote(w)));
        return b.toString();
    }
}
