package procsh.command;

/** A command whose argument is code, taken as typed: no word splitting, quotes kept, ';' and '#' included. */
public interface RawText {
    int run(String text) throws InterruptedException;
}
