package procsh.command;

import java.util.ArrayList;
import java.util.List;
import procsh.core.ProcshException;

/**
 * Splits a command line into commands and words as a shell does: single quotes keep everything,
 * double quotes allow {@code \" \\ \$ \`}, a backslash escapes the next character, {@code #}
 * starts a comment, {@code ;} separates commands. No expansion of any kind: what is typed is
 * what the program receives. Unquoted {@code | & > <} are refused, not passed on as arguments.
 */
public final class LineSplitter {

    private LineSplitter() {
    }

    public static List<List<String>> split(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                if (close < 0) {
                    throw new ProcshException("unclosed ' quote: add the closing ' (or escape it as \\')");
                }
                word.append(line, i + 1, close);
                inWord = true;
                i = close + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new ProcshException("a line cannot end with a backslash: remove it, or quote it as '\\'");
                }
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (Character.isWhitespace(c)) {
                inWord = flush(words, word, inWord);
                i++;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == ';') {
                flush(words, word, inWord);
                inWord = false;
                if (!words.isEmpty()) {
                    commands.add(words);
                }
                words = new ArrayList<>();
                i++;
            } else if (c == '|' || c == '&' || c == '>' || c == '<') {
                throw new ProcshException(operatorMessage(line, i));
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        flush(words, word, inWord);
        if (!words.isEmpty()) {
            commands.add(words);
        }
        return commands;
    }

    private static int doubleQuoted(String line, int i, StringBuilder word) {
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < n && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new ProcshException("unclosed \" quote: add the closing \" (or escape it as \\\")");
    }

    private static boolean flush(List<String> words, StringBuilder word, boolean inWord) {
        if (inWord) {
            words.add(word.toString());
            word.setLength(0);
        }
        return false;
    }

    private static String operatorMessage(String line, int at) {
        String op = line.substring(at, Math.min(line.length(), at + 2));
        if (op.length() == 2 && op.charAt(0) != op.charAt(1)) {
            op = op.substring(0, 1);
        }
        String what = switch (op.charAt(0)) {
            case '|' -> "'" + op + "': pipelines are not supported here";
            case '&' -> "'" + op + "' is not supported here (every job already runs in the background)";
            default -> "'" + op + "': redirections are not supported here";
        };
        return what + "; run a shell for it: spawn sh -c '...', or quote the character to pass it as an argument";
    }
}
