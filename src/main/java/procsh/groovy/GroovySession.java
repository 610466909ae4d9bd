package procsh.groovy;

import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import groovy.transform.ThreadInterrupt;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.runtime.FormatHelper;
import procsh.command.OneLine;
import procsh.core.JobTable;

/**
 * One Groovy session: the compiler set up for procsh scripts and the binding that outlives each
 * input. Everything here touches Groovy, so {@link GroovyEngine} creates it on first use only.
 * Runs on the caller's thread; {@link GroovyEngine} decides which thread that is.
 */
final class GroovySession implements AutoCloseable {

    /** The variables the session itself sets, kept when memory runs out. */
    private static final Set<String> KEPT = Set.of("jobs", "args");

    private final ErrorReports errors = new ErrorReports();
    private final ScriptContext context;
    private final SessionBinding binding;
    private final GroovyShell shell;
    private final GroovyCompleter completer;
    private final AtomicInteger inputs = new AtomicInteger();

    GroovySession(JobTable table) {
        context = new ScriptContext(table, errors::runtime);
        binding = SessionBinding.create(context);
        binding.setVariable("jobs", context.jobs());
        binding.setVariable("args", new String[0]);
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(ProcshScript.class.getName());
        ImportCustomizer imports = new ImportCustomizer();
        imports.addImports("java.time.Duration", "java.util.concurrent.TimeUnit", "procsh.core.Durations");
        // ThreadInterrupt checks the thread's interrupt flag in every loop, closure and method, so Ctrl-C ends `while (true) {}`.
        config.addCompilationCustomizers(new SessionDeclarations(), new ASTTransformationCustomizer(ThreadInterrupt.class), imports);
        shell = new GroovyShell(GroovySession.class.getClassLoader(), binding, config);
        completer = new GroovyCompleter(binding::names, name -> binding.hasVariable(name) ? binding.getVariable(name) : null);
    }

    ScriptContext context() {
        return context;
    }

    /** Evaluates one prompt input; its top-level {@code def}s become session variables. */
    Object eval(String source, PrintWriter out, PrintWriter err) throws ScriptError, InterruptedException {
        String name = "input" + inputs.incrementAndGet() + ".groovy";
        errors.register(name, "");
        return run(source, name, "", out, err);
    }

    /**
     * Runs a script file in this session with {@code args}; returns its exit status: what it passed
     * to exit(n), 1 after an error (said on {@code err}), 2 when the file cannot be read, else 0.
     */
    int source(Path file, List<String> args, PrintWriter out, PrintWriter err) throws InterruptedException {
        String label = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            err.println(file + ": no such file");
            err.flush();
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("cannot read " + file + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        String name = "file_" + label.replaceFirst("\\.groovy$", "").replaceAll("[^A-Za-z0-9_]", "_") + ".groovy";
        errors.register(name, label);
        Object previousArgs = binding.getVariable("args");
        binding.setVariable("args", args.toArray(new String[0]));
        try {
            run(text, name, label, out, err);
            return 0;
        } catch (ScriptExit e) {
            return e.status();
        } catch (ScriptError e) {
            err.println(e.getMessage());
            err.flush();
            return 1;
        } finally {
            binding.setVariable("args", previousArgs);
        }
    }

    private Object run(String text, String codeName, String label, PrintWriter out, PrintWriter err)
            throws ScriptError, InterruptedException {
        Map<String, Object> before = binding.snapshot();
        try {
            return parseAndRun(text, codeName, label, out, err);
        } catch (OutOfMemoryError e) {
            throw new ScriptError((label.isEmpty() ? "" : label + ": ") + "out of memory: " + freeMemory(before));
        }
    }

    /**
     * After an OutOfMemoryError: the variables this evaluation made or replaced are dropped, and
     * if the heap is still nearly full, all the session's variables; the jobs are untouched.
     */
    private String freeMemory(Map<String, Object> before) {
        List<String> dropped = new ArrayList<>(binding.drop(before, false, KEPT));
        if (nearlyFull()) {
            dropped.addAll(binding.drop(Map.of(), true, KEPT));
        }
        return "the evaluation stopped" + (dropped.isEmpty() ? ""
                : "; to free memory these variables were dropped: " + OneLine.of(String.join(", ", dropped)));
    }

    private static boolean nearlyFull() {
        Runtime r = Runtime.getRuntime();
        System.gc(); // only after an OutOfMemoryError: the garbage is what we are asking about
        return r.totalMemory() - r.freeMemory() > r.maxMemory() * 3 / 4;
    }

    private Object parseAndRun(String text, String codeName, String label, PrintWriter out, PrintWriter err)
            throws ScriptError, InterruptedException {
        context.writers(out, err);
        String problem = InputShape.problem(text, label.isEmpty() ? InputShape.MAX_INPUT_CHARS : InputShape.MAX_SCRIPT_CHARS);
        if (problem != null) {
            throw new ScriptError((label.isEmpty() ? "" : label + ": ") + problem);
        }
        Script script;
        try {
            GroovyCodeSource code = new GroovyCodeSource(text, codeName, "/groovy/shell");
            code.setCachable(false);
            script = shell.parse(code);
        } catch (CompilationFailedException e) {
            throw new ScriptError(errors.compile(e, label, text));
        }
        if (!(script instanceof ProcshScript)) {
            // Groovy wraps a file holding only a class in a script that calls its main().
            throw new ScriptError(label + ": it only declares classes, so there is nothing to run: add statements after them");
        }
        try {
            return script.run();
        } catch (ScriptExit e) {
            throw e;
        } catch (Throwable t) {
            if (interrupted(t)) {
                throw new InterruptedException("interrupted");
            }
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof OutOfMemoryError oom) {
                    throw oom;
                }
            }
            throw new ScriptError(errors.runtime(t));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static boolean interrupted(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    Completions complete(String buffer, int cursor) {
        return completer.complete(buffer, cursor);
    }

    /** {@code => 42}; continuation lines indented under the first; null for null. */
    static String format(Object result) {
        if (result == null) {
            return null;
        }
        return "=> " + FormatHelper.toString(result).replace("\n", "\n   ");
    }

    @Override
    public void close() {
        context.close();
    }
}
