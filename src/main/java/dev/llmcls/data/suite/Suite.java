package dev.llmcls.data.suite;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmcls.core.InputException;
import dev.llmcls.core.Nearest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The suite: every {@code NAME.yaml} of one folder, each read into a {@link SuiteEntry}, in name
 * order. {@link #locate} finds the folder: {@code datasets/} of the llmcls installation that {@code
 * bin/llmcls} names, else {@code datasets/} in the working directory (running from a checkout
 * without {@code bin/llmcls}).
 */
public final class Suite {
    /** What {@code --data} starts with to name an entry. */
    public static final String PREFIX = "suite:";

    /** The folder of the installation (or checkout) that holds the entries. */
    public static final String FOLDER = "datasets";

    /**
     * Made when an entry is first read, not when {@link #names} is asked (every run asks): YAML's
     * classes stay unloaded in a run whose {@code --data} names no entry.
     */
    private static final class Yaml {
        static final ObjectMapper MAPPER =
                new ObjectMapper(new YAMLFactory())
                        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    }

    private final Path directory;
    private final List<SuiteEntry> entries;

    private Suite(Path directory, List<SuiteEntry> entries) {
        this.directory = directory;
        this.entries = List.copyOf(entries);
    }

    /** Whether a {@code --data} value names a suite entry. */
    public static boolean names(String data) {
        return data.startsWith(PREFIX);
    }

    /**
     * The suite's folder: {@code HOME/datasets} where {@code home} (the installation, from {@code
     * -Dllmcls.home} or {@code LLMCLS_HOME}) is given and has one, else {@code datasets} here.
     */
    public static Path locate(String home) {
        if (home != null && !home.isBlank()) {
            Path installed = Path.of(home, FOLDER);
            if (Files.isDirectory(installed)) {
                return installed;
            }
        }
        return Path.of(FOLDER);
    }

    /** The suite of the installation this process runs from. */
    public static Suite installed() {
        return load(locate(System.getProperty("llmcls.home", System.getenv("LLMCLS_HOME"))));
    }

    /** Reads every {@code *.yaml} of {@code directory}; a bad entry is an input error naming it. */
    public static Suite load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InputException(
                    "no dataset suite at "
                            + directory.toAbsolutePath()
                            + ": run llmcls from its checkout (bin/llmcls), or set LLMCLS_HOME to"
                            + " it");
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files =
                    listed.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                            .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                            .toList();
        } catch (IOException e) {
            throw new InputException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        var entries = new ArrayList<SuiteEntry>();
        for (Path file : files) {
            entries.add(read(file));
        }
        return new Suite(directory, entries);
    }

    /** One entry file, checked. */
    static SuiteEntry read(Path file) {
        String fileName = file.getFileName().toString();
        String name = fileName.substring(0, fileName.length() - ".yaml".length());
        try {
            return Yaml.MAPPER.readValue(file.toFile(), SuiteEntry.class).named(name);
        } catch (UnrecognizedPropertyException e) {
            throw new InputException(
                    file
                            + ": "
                            + Nearest.unknown(
                                    "key",
                                    e.getPropertyName(),
                                    e.getKnownPropertyIds().stream().map(String::valueOf).toList()),
                    e);
        } catch (IOException e) {
            throw new InputException(file + ": " + e.getMessage(), e);
        } catch (InputException e) {
            throw new InputException(file + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    public List<SuiteEntry> entries() {
        return entries;
    }

    /**
     * The entry {@code data} ({@code suite:NAME}) names; an unknown name is an input error naming
     * the nearest.
     */
    public SuiteEntry entry(String data) {
        String name = names(data) ? data.substring(PREFIX.length()) : data;
        return entries.stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new InputException(
                                        "--data "
                                                + PREFIX
                                                + name
                                                + ": "
                                                + Nearest.unknown(
                                                        "suite dataset",
                                                        name,
                                                        entries.stream()
                                                                .map(SuiteEntry::name)
                                                                .toList())
                                                + " (llmcls datasets lists them)"));
    }
}
