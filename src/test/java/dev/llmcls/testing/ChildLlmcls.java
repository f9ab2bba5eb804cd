package dev.llmcls.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts llmcls as a real child JVM, so tests can send it signals and read its real exit code. */
public final class ChildLlmcls {
    private ChildLlmcls() {}

    public static Process start(Path log, String... args) throws IOException {
        var builder = new ProcessBuilder(command(args));
        // never the real answer store, even when the test runs outside Maven (which sets it off for
        // every test)
        builder.environment().putIfAbsent("LLMCLS_STORE", "off");
        return builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    /**
     * The command line that runs llmcls with these arguments in a child JVM on the test class path.
     */
    public static List<String> command(String... args) {
        String classPath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1",
                                "-Xshare:auto"));
        if (List.of("amd64", "x86_64").contains(System.getProperty("os.arch"))) {
            command.add(
                    "-XX:StackShadowPages=10"); // as bin/llmcls on x86-64, the only CPU that allows
            // it
        }
        command.addAll(List.of("-cp", classPath, "dev.llmcls.Main"));
        command.addAll(List.of(args));
        return command;
    }
}
