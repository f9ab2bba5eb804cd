package dev.llmcls.core;

/**
 * Bad input from the user: a malformed data row, a missing file, an unknown label. Maps to exit
 * code 2.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A problem at one line of one file, named so that the user can open it there. */
    public static InputException at(Object file, long line, String message) {
        return new InputException(file + ":" + line + ": " + message);
    }
}
