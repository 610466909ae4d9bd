package procsh.groovy;

/**
 * A quick look at Groovy text before Groovy's parser sees it. That parser's time and memory grow
 * far faster than its input when brackets nest deeply (6,000 open braces took 16 s, 100,000 open
 * parentheses 148 s and 5 GB), so input past {@link #MAX_DEPTH} levels or past a size is refused
 * in one line; and input that plainly stops inside a bracket or string is known to be unfinished
 * without asking the parser at every line.
 */
final class InputShape {

    /** Deeper than any code a person writes, shallow enough for Groovy's parser to stay quick. */
    static final int MAX_DEPTH = 100;
    /** One input at the prompt or from a pipe (a pasted block included). */
    static final int MAX_INPUT_CHARS = 100_000;
    /** One script file. */
    static final int MAX_SCRIPT_CHARS = 2_000_000;

    /**
     * @param open   the text ends inside a bracket, string or block comment
     * @param sure   nothing in it (a slashy string, a stray closer, a newline in a one-line string)
     *               could make this scan read it otherwise than Groovy does
     * @param tooDeep where nesting passed {@link #MAX_DEPTH}, as "line L, column C", or null
     */
    record Scan(boolean open, boolean sure, String tooDeep) {
    }

    private InputShape() {
    }

    /** What is wrong with the input's size or nesting, in one line; null when Groovy may parse it. */
    static String problem(String source, int maxChars) {
        if (source.length() > maxChars) {
            return "the input is " + source.length() + " characters; procsh takes at most " + maxChars
                    + " at once: split it up or put it in a file and source it";
        }
        String deep = scan(source).tooDeep();
        return deep == null ? null
                : "brackets or strings nest more than " + MAX_DEPTH + " deep (" + deep + "): procsh does not parse that; flatten the code";
    }

    static Scan scan(String s) {
        // The open brackets and strings: ( [ { as typed, g for a GString's ${, q ' d " t ''' e """.
        StringBuilder stack = new StringBuilder();
        boolean sure = true;
        int line = 1;
        int lineStart = 0;
        char previous = ' '; // the last character of code that is not a space: decides whether '/' starts a regex
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
            }
            char top = stack.isEmpty() ? ' ' : stack.charAt(stack.length() - 1);
            if (top == 'q' || top == 'd' || top == 't' || top == 'e') {
                if (c == '\\') {
                    i += 2;
                    continue;
                }
                if ((top == 'q' || top == 'd') && c == '\n') {
                    sure = false; // Groovy calls this an error, not an unfinished string
                    stack.setLength(stack.length() - 1);
                } else if (top == 'q' && c == '\'' || top == 'd' && c == '"') {
                    stack.setLength(stack.length() - 1);
                    previous = c;
                } else if (top == 't' && s.startsWith("'''", i) || top == 'e' && s.startsWith("\"\"\"", i)) {
                    stack.setLength(stack.length() - 1);
                    previous = c;
                    i += 3;
                    continue;
                } else if ((top == 'd' || top == 'e') && c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                    stack.append('g');
                    i += 2;
                    previous = '{';
                    if (stack.length() > MAX_DEPTH) {
                        return new Scan(true, sure, where(line, i - lineStart));
                    }
                    continue;
                }
                i++;
                continue;
            }
            if (c == '/' && s.startsWith("//", i)) {
                int end = s.indexOf('\n', i);
                i = end < 0 ? s.length() : end;
                continue;
            }
            if (c == '/' && s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    return new Scan(true, sure, null);
                }
                for (int k = i; k < end; k++) {
                    if (s.charAt(k) == '\n') {
                        line++;
                        lineStart = k + 1;
                    }
                }
                i = end + 2;
                continue;
            }
            if (c == '/' && !(Character.isLetterOrDigit(previous) || previous == '_' || ")]}'\"".indexOf(previous) >= 0)
                    || c == '$' && s.startsWith("$/", i)) {
                sure = false; // a slashy string: this scan does not follow them
            }
            int opened = switch (c) {
                case '(', '[', '{' -> c;
                case '\'' -> s.startsWith("'''", i) ? 't' : 'q';
                case '"' -> s.startsWith("\"\"\"", i) ? 'e' : 'd';
                default -> 0;
            };
            if (opened != 0) {
                stack.append((char) opened);
                if (stack.length() > MAX_DEPTH) {
                    return new Scan(true, sure, where(line, i - lineStart + 1));
                }
                i += opened == 't' || opened == 'e' ? 3 : 1;
                previous = c;
                continue;
            }
            if (c == ')' || c == ']' || c == '}') {
                char wanted = c == ')' ? '(' : c == ']' ? '[' : '{';
                if (top == wanted || c == '}' && top == 'g') {
                    stack.setLength(stack.length() - 1);
                } else {
                    sure = false; // a stray closer: Groovy's error to report
                }
            }
            if (!Character.isWhitespace(c)) {
                previous = c;
            }
            i++;
        }
        // A one-line string open at the end is Groovy's error, not an unfinished input: Groovy decides.
        boolean oneLineString = stack.indexOf("q") >= 0 || stack.indexOf("d") >= 0;
        return new Scan(!stack.isEmpty(), sure && !oneLineString, null);
    }

    private static String where(int line, int column) {
        return "line " + line + ", column " + column;
    }
}
