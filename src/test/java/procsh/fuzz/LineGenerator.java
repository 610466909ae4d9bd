package procsh.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Model.OptionSpec;
import procsh.command.CommandRegistry;
import procsh.command.Shell;
import procsh.os.Signal;
import procsh.os.Signals;

/**
 * Random command lines from one seed: the command vocabulary (every command name and alias, each
 * command's options), job references, every spelling of every signal, durations and numbers at
 * their edges, mixed with random bytes, unicode, control characters, unbalanced quotes, shell
 * operators, a few 1 MB lines, and blank lines. Same seed, same lines.
 */
final class LineGenerator {

    private static final String SPECIAL = "\u0000\u0001\u0007\u0008\t\n\u000b\f\r\u001b\u007f\u0085\u00a0\u200b\u200e\u202e"
            + "\u2028\u2029\u3000\ufeff\ufffd\ud800\udfff";
    private static final List<String> QUOTE_FRAGMENTS = List.of("'", "\"", "\\", "'abc", "abc\"", "\"a'b", "'\"'\"", "\"\\\"", "a\\",
            "'''", "\"\"\"", "$'x'", "`", "$(", "${", "\\'", "\"\\");
    private static final List<String> OPERATORS = List.of("|", "||", "&", "&&", ">", ">>", "<", "<<", "2>&1", "|&", ">|", "<>", "&>");
    private static final List<String> DURATIONS = List.of("0", "0ms", "1ms", "10ms", "20ms", "0.001", "0.02s", "1", "1s", "1.5s", "5m",
            "1h", "999999999h", "999999999.999999999h", "-1", "-1s", "1e3", "NaN", "Infinity", "1 s", "1sec", "1ms1", "00:01",
            "0x10", "\u0661s", "18446744073709551616", ".5s", "5.", "ms", "s", "1.2.3s", "1MS", "1H");
    private static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "65", "-65", "128", "137", "255", "256", "65535",
            "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
            "1" + "0".repeat(400), "-" + "9".repeat(1000), "0x7fffffff", "0777", "1e308", "1e309", "NaN", "-Infinity", "3.14",
            "1_000", "\u0663", "\uff11\uff12", "+5", "--5", "5-");
    private static final List<String> PATHS = List.of(".", "..", "/", "/tmp", "~", "~/", "~root", "/no/such/dir", "no-such-file",
            "/dev/null", "/proc/self", "../../../../../../..", "a/b/c", "\u00e9t\u00e9", "/tmp/" + "x".repeat(300), "@no-such-file-xyz",
            "@@x", "@", "-", "--", "./x.groovy", "x.groovy");
    private static final List<String> ASSIGNMENTS = List.of("A=1", "K=", "=v", "=", "K==v", "K=v=w", "PYTHONUNBUFFERED=0",
            "SECRET=hunter2", "\u00e9=\u00e8", "K\u0000=v", "A B=c", "LONG=" + "v".repeat(500), "1=2", "K=\n", "PATH");

    private static final List<String> PROGRAMS = List.of("sleep", "true", "sh", "kill", "cat", "printf", "/bin/sh", "./", "..");

    private final Random random;
    private final List<String> commands;
    /** Each command's names (its name and aliases): a command is picked first, then one of its names. */
    private final List<List<String>> names = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> allOptions = new ArrayList<>();
    private final List<String> signalWords = new ArrayList<>();
    private final List<String> refs;

    /** @param refs job references worth trying: ids, names, and some that name nothing */
    LineGenerator(long seed, List<String> refs) {
        this.random = new Random(seed);
        this.refs = List.copyOf(refs);
        CommandRegistry registry = CommandRegistry.get();
        this.commands = registry.names();
        for (CommandRegistry.Entry entry : registry.entries()) {
            List<String> names = new ArrayList<>();
            for (OptionSpec option : Shell.spec(entry).options()) {
                names.addAll(List.of(option.names()));
            }
            options.put(entry.name(), names);
            entry.aliases().forEach(a -> options.put(a, names));
            allOptions.addAll(names);
            List<String> spelled = new ArrayList<>(List.of(entry.name()));
            spelled.addAll(entry.aliases());
            this.names.add(spelled);
        }
        for (Signal s : Signals.os().all()) {
            String shortName = s.shortName();
            signalWords.addAll(List.of(Integer.toString(s.number()), "-" + s.number(), s.name(), shortName, "-" + shortName,
                    "-" + s.name(), shortName.toLowerCase(Locale.ROOT), "-" + s.name().toLowerCase(Locale.ROOT),
                    "-s", "--signal=" + shortName, "--signal=" + s.number()));
        }
        signalWords.addAll(List.of("SIGFOO", "-FOO", "-0", "0", "65", "-65", "999999999999", "SIG", "-SIG", "RTMIN+99", "RTMAX-1",
                "-RTMIN+3", "IOT", "CLD", "POLL", "sIgKiLl", "-sigterm", "-s9", "-9s", "- 9", "-KILL-", "KILL\u0000", "\u0669"));
    }

    List<String> commands() {
        return commands;
    }

    String next() {
        int r = random.nextInt(10_000);
        if (r < 1) {
            return huge();
        }
        if (r < 250) {
            return blank();
        }
        if (r < 550) {
            return randomBytes();
        }
        if (r < 850) {
            return randomUnicode();
        }
        if (r < 1000) {
            return mutatedCommand() + (random.nextBoolean() ? "" : " " + word(pick(commands)));
        }
        int segments = random.nextInt(12) == 0 ? 2 + random.nextInt(2) : 1;
        StringBuilder line = new StringBuilder();
        if (random.nextInt(20) == 0) {
            line.append(pick(List.of(" ", "\t", "  ", ";", " ; ")));
        }
        for (int i = 0; i < segments; i++) {
            if (i > 0) {
                line.append(pick(List.of(";", " ; ", ";;", "; ", " ;")));
            }
            line.append(segment());
        }
        if (random.nextInt(30) == 0) {
            line.append(random.nextBoolean() ? " #" : "#").append(junk());
        }
        return line.toString();
    }

    private String segment() {
        List<String> spelled = pick(names);
        if (spelled.get(0).equals("list") && random.nextInt(4) != 0) {
            spelled = pick(names); // list reads /proc for every live job: the costliest command, so drawn less often
        }
        String command = random.nextInt(25) == 0 ? quote(junk()) : pick(spelled);
        StringBuilder s = new StringBuilder(random.nextInt(40) == 0 ? quote(command) : command);
        int n = random.nextInt(7);
        for (int i = 0; i < n; i++) {
            s.append(pick(List.of(" ", " ", " ", "  ", "\t")));
            s.append(argument(command));
        }
        return s.toString();
    }

    private String argument(String command) {
        if ((command.equals("spawn") || command.equals("run")) && random.nextInt(4) == 0) {
            return pick(PROGRAMS); // a program that exists, so that spawn gets as far as starting it
        }
        int r = random.nextInt(100);
        List<String> own = options.getOrDefault(command, List.of());
        if (r < 25 && !own.isEmpty()) {
            return word(pick(own));
        }
        if (r < 30 && !own.isEmpty()) {
            return word(pick(own) + "=" + pick(List.of("", "1", "x", "0ms", "--json", junk())));
        }
        if (r < 35) {
            return word(pick(allOptions));
        }
        if (r < 50) {
            return word(pick(refs));
        }
        if (r < 62) {
            return word(pick(signalWords));
        }
        if (r < 70) {
            return word(pick(DURATIONS));
        }
        if (r < 77) {
            return word(pick(NUMBERS));
        }
        if (r < 87) {
            return word(junk());
        }
        if (r < 91) {
            return pick(QUOTE_FRAGMENTS);
        }
        if (r < 93) {
            return pick(OPERATORS);
        }
        if (r < 96) {
            return word(pick(ASSIGNMENTS));
        }
        return word(pick(PATHS));
    }

    /** A word as a user might type it: bare, single-quoted, double-quoted or backslash-escaped. */
    private String word(String w) {
        return random.nextInt(10) < 7 ? w : quote(w);
    }

    private String quote(String w) {
        int r = random.nextInt(3);
        if (r == 0 && w.indexOf('\'') < 0) {
            return "'" + w + "'";
        }
        if (r == 1) {
            return "\"" + w.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`") + "\"";
        }
        StringBuilder b = new StringBuilder();
        for (char c : w.toCharArray()) {
            if (" \t'\"\\;#|&<>".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.length() == 0 ? "''" : b.toString();
    }

    private String mutatedCommand() {
        String name = pick(commands);
        StringBuilder b = new StringBuilder(name);
        switch (random.nextInt(6)) {
            case 0 -> {
                return name.toUpperCase(Locale.ROOT);
            }
            case 1 -> b.insert(random.nextInt(b.length() + 1), (char) ('a' + random.nextInt(26)));
            case 2 -> b.deleteCharAt(random.nextInt(b.length()));
            case 3 -> {
                if (b.length() > 1) {
                    int i = random.nextInt(b.length() - 1);
                    char c = b.charAt(i);
                    b.setCharAt(i, b.charAt(i + 1));
                    b.setCharAt(i + 1, c);
                }
            }
            case 4 -> b.append(pick(List.of("-", ".", "\u0000", "\u00e9", "2", "=", ":", "/")));
            default -> b.insert(0, pick(List.of("-", "%", "\\", "./", "\u200b")));
        }
        return b.toString();
    }

    /** A short run of characters from every corner: ASCII, controls, Latin-1, any BMP char, astral, lone surrogates. */
    private String junk() {
        int n = 1 + random.nextInt(12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(6)) {
                case 0 -> b.append((char) (0x21 + random.nextInt(0x5e)));
                case 1 -> b.append((char) random.nextInt(0x20));
                case 2 -> b.append((char) (0x80 + random.nextInt(0x80)));
                case 3 -> b.append((char) random.nextInt(0x10000));
                case 4 -> b.appendCodePoint(0x10000 + random.nextInt(0x100000));
                default -> b.append(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
            }
        }
        return b.toString();
    }

    private String blank() {
        return pick(List.of("", " ", "\t", "   \t  ", "\u00a0", "\u3000", "\r", "\f", "\u000b", "\n", " \n ", "\u2028", ";", " ; ;",
                "#", "   # only a comment", "\u0000"));
    }

    private String randomBytes() {
        int n = random.nextInt(120);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) random.nextInt(256));
        }
        return b.toString();
    }

    private String randomUnicode() {
        int n = random.nextInt(60);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int cp = random.nextInt(0x110000);
            if (cp >= 0xd800 && cp <= 0xdfff) {
                b.append((char) cp); // a lone surrogate: malformed UTF-16, as broken input can be
            } else {
                b.appendCodePoint(cp);
            }
        }
        return b.toString();
    }

    /** One of a few 1 MB lines. */
    private String huge() {
        int mb = 1 << 20;
        return switch (random.nextInt(10)) {
            case 0 -> "kill " + "9".repeat(mb);
            case 1 -> "spawn '" + "a".repeat(mb);
            case 2 -> "x".repeat(mb);
            case 3 -> "list " + "--json ".repeat(mb / 7);
            case 4 -> "info " + "%".repeat(mb);
            case 5 -> "signals " + "KILL ".repeat(mb / 5 / 8);
            case 6 -> "setenv " + "K".repeat(mb);
            case 7 -> "# " + "c".repeat(mb);
            case 8 -> ";".repeat(mb);
            default -> {
                StringBuilder b = new StringBuilder(mb);
                while (b.length() < mb) {
                    b.append(junk()).append(' ');
                }
                yield b.toString();
            }
        };
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
