package dev.llmcls.core;

/** The process's exit codes, the same for every command. */
public final class ExitCodes {
    public static final int OK = 0;

    /** The run finished but some examples have no answer. */
    public static final int FAILURES = 1;

    /** Bad usage or bad input: nothing was (or could be) done. */
    public static final int USAGE = 2;

    /**
     * The output could not be written (a full disk, a file that is not writable): sysexits.h's
     * EX_IOERR. Re-running the same command once it can be written resumes.
     */
    public static final int IO = 74;

    private ExitCodes() {}
}
