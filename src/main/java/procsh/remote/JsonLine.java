package procsh.remote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one line of the agent protocol: a JSON object of strings, numbers (as Long), booleans,
 * null, lists and objects. Small on purpose: both ends are procsh, writing with
 * {@link procsh.command.JsonOutput}; anything else is an {@link IllegalArgumentException}.
 */
public final class JsonLine {

    /** The protocol nests three deep at most; a line nested deeper is not procsh's, and must not overflow the stack. */
    private static final int MAX_DEPTH = 16;

    private final String text;
    private int at;
    private int depth;

    private JsonLine(String text) {
        this.text = text;
    }

    public static Map<String, Object> parse(String line) {
        JsonLine p = new JsonLine(line);
        p.space();
        if (p.peek() != '{') {
            throw new IllegalArgumentException("not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) p.value();
        p.space();
        if (p.at != line.length()) {
            throw new IllegalArgumentException("text after the object at " + p.at);
        }
        return value;
    }

    private char peek() {
        if (at >= text.length()) {
            throw new IllegalArgumentException("line ends early");
        }
        return text.charAt(at);
    }

    private void space() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private void expect(char c) {
        space();
        if (peek() != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at);
        }
        at++;
    }

    private Object value() {
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
        }
        try {
            return valueHere();
        } finally {
            depth--;
        }
    }

    private Object valueHere() {
        space();
        char c = peek();
        switch (c) {
            case '{' -> {
                at++;
                Map<String, Object> map = new LinkedHashMap<>();
                space();
                if (peek() == '}') {
                    at++;
                    return map;
                }
                while (true) {
                    space();
                    String key = string();
                    expect(':');
                    map.put(key, value());
                    space();
                    if (peek() == ',') {
                        at++;
                    } else {
                        expect('}');
                        return map;
                    }
                }
            }
            case '[' -> {
                at++;
                List<Object> list = new ArrayList<>();
                space();
                if (peek() == ']') {
                    at++;
                    return list;
                }
                while (true) {
                    list.add(value());
                    space();
                    if (peek() == ',') {
                        at++;
                    } else {
                        expect(']');
                        return list;
                    }
                }
            }
            case '"' -> {
                return string();
            }
            default -> {
                return literal();
            }
        }
    }

    private Object literal() {
        int start = at;
        while (at < text.length() && "+-0123456789.eEtrufalsn".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        String word = text.substring(start, at);
        switch (word) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "null":
                return null;
            default:
                try {
                    return Long.parseLong(word);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad value at " + start);
                }
        }
    }

    private String string() {
        if (peek() != '"') {
            throw new IllegalArgumentException("expected a string at " + at);
        }
        at++;
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = peek();
            at++;
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = peek();
            at++;
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw new IllegalArgumentException("bad \\u escape");
                    }
                    b.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> b.append(e);
            }
        }
    }
}
