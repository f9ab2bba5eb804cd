package dev.llmcls.cli;

import dev.llmcls.run.ClassifyConfig;
import dev.llmcls.run.ClassifyJob;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Classify every example of a dataset with an LLM behind an OpenAI-compatible API,"
                    + " appending one JSON line per example to the output file.",
            "Re-running the same command resumes: examples that already have an answer are"
                    + " skipped.",
            "--mode similarity, knn and linear classify in-process with a bundled embedding model"
                    + " instead: no server, no GPU."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:every example has an answer",
            "1:the run finished, but some examples failed or it stopped early",
            "2:usage or input error (nothing was sent)",
            "74:the output could not be written, e.g. the disk is full (free space, re-run to"
                    + " resume)",
            "130/143:stopped by SIGINT/SIGTERM (re-run to resume)"
        })
public class ClassifyCommand extends RunCommand {
    @ArgGroup(validate = false, heading = "Server:%n", order = SERVER)
    ServerOptions server = new ServerOptions();

    @ArgGroup(validate = false, heading = "Execution:%n", order = EXECUTION)
    ExecutionOptions execution = new ExecutionOptions();

    @Override
    ShardOptions shard() {
        return execution;
    }

    @Override
    ClassifyConfig.Servers servers() {
        return servers(server.servers(), server.concurrency);
    }

    @Override
    ClassifyConfig.Execution execution() {
        return execution.execution();
    }

    @Override
    int run(ClassifyConfig config) {
        return new ClassifyJob(config, spec.commandLine().getErr(), VersionProvider.version())
                .run();
    }
}
