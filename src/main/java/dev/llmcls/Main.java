package dev.llmcls;

import dev.llmcls.cli.Cli;

public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.commandLine().execute(args));
    }
}
