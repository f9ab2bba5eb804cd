package dev.llmcls;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The package map of the package-info files, enforced: the packages (sub-packages each on their
 * own) form no cycle, {@code cli} sits on top (only {@link Main} uses it), {@code core} depends on
 * no other llmcls package, no class uses langchain4j (its model jars carry the bundled embedding
 * models as resources only), and no package grows past {@value #MOST_FILES} files. Reads the
 * compiled main classes, not the tests.
 */
class ArchitectureTest {
    private static final List<String> PACKAGES =
            List.of(
                    "core",
                    "data.parquet",
                    "data.hub",
                    "data.suite",
                    "data",
                    "label",
                    "llm",
                    "llm.openai",
                    "llm.concurrency",
                    "prompt",
                    "learn",
                    "embed",
                    "runfile",
                    "store",
                    "eval",
                    "runs",
                    "multilabel",
                    "run.task",
                    "run.embedded",
                    "run.prompting",
                    "run.likelihood",
                    "run",
                    "run.batchfile",
                    "report",
                    "experiment",
                    "cli");

    /** A package with more files than this is doing more than one thing; split it by capability. */
    private static final int MOST_FILES = 25;

    private static final java.nio.file.Path MAIN_CLASSES =
            java.nio.file.Path.of("target", "classes");
    private static final java.nio.file.Path MAIN_SOURCES =
            java.nio.file.Path.of("src", "main", "java", "dev", "llmcls");
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // The compiled main classes only: scanning the dependency jars (the bundled models make
        // them large) for the
        // package would take most of the test's time.
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importLocations(List.of(Location.of(MAIN_CLASSES)));
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("dev.llmcls.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void subPackagesFormNoCycle() {
        slices().matching("dev.llmcls.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyMainUsesTheCommandLinePackage() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.llmcls.cli..")
                .and()
                .doNotHaveFullyQualifiedName(Main.class.getName())
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.llmcls.cli..")
                .check(classes);
    }

    /**
     * What each package may use, as its package-info says; the root package holds only {@link
     * Main}.
     */
    static Stream<Arguments> allowedDependencies() {
        return Stream.of(
                Arguments.of("core", List.of()),
                Arguments.of("data", List.of("core", "data.parquet")),
                Arguments.of("data.parquet", List.of("core")),
                Arguments.of("data.hub", List.of("core")),
                Arguments.of("data.suite", List.of("core", "data", "data.hub")),
                Arguments.of("label", List.of("core", "data")),
                Arguments.of("llm", List.of("core")),
                Arguments.of("llm.openai", List.of("core", "llm")),
                Arguments.of("llm.concurrency", List.of("core", "llm")),
                Arguments.of("prompt", List.of("core", "data")),
                Arguments.of("learn", List.of()),
                Arguments.of("embed", List.of("core", "data", "learn")),
                Arguments.of("runfile", List.of("core", "data", "llm", "llm.concurrency")),
                Arguments.of("store", List.of("core", "llm")),
                Arguments.of("eval", List.of("core", "data", "label", "runfile")),
                Arguments.of("runs", List.of("core", "data", "label", "runfile", "eval")),
                Arguments.of("multilabel", List.of("core", "data", "label")),
                Arguments.of("run.task", List.of("core", "data", "llm", "runfile")),
                Arguments.of(
                        "run.embedded",
                        List.of("core", "data", "learn", "embed", "runfile", "run.task")),
                Arguments.of(
                        "run.prompting",
                        List.of(
                                "core",
                                "data",
                                "label",
                                "llm",
                                "prompt",
                                "embed",
                                "runfile",
                                "run.task",
                                "run.embedded")),
                Arguments.of(
                        "run.likelihood",
                        List.of(
                                "core",
                                "data",
                                "label",
                                "llm",
                                "prompt",
                                "runfile",
                                "run.task",
                                "run.prompting")),
                Arguments.of(
                        "run",
                        List.of(
                                "core",
                                "data",
                                "llm",
                                "llm.openai",
                                "llm.concurrency",
                                "prompt",
                                "runfile",
                                "run.task",
                                "run.prompting",
                                "run.likelihood",
                                "run.embedded",
                                "store",
                                "runs")),
                Arguments.of(
                        "run.batchfile",
                        List.of(
                                "core",
                                "data",
                                "llm",
                                "llm.openai",
                                "runfile",
                                "run.task",
                                "run.prompting",
                                "run")),
                Arguments.of("report", List.of("core", "eval", "multilabel")),
                Arguments.of(
                        "experiment",
                        List.of("core", "data", "runfile", "eval", "run.task", "run", "report")),
                Arguments.of("cli", PACKAGES.stream().filter(p -> !p.equals("cli")).toList()));
    }

    @ParameterizedTest(name = "{0} uses only {1}")
    @MethodSource("allowedDependencies")
    void eachPackageUsesOnlyThePackagesBelowIt(String name, List<String> allowed) {
        List<String> forbidden =
                PACKAGES.stream()
                        .filter(p -> !p.equals(name) && !allowed.contains(p))
                        .map(p -> "dev.llmcls." + p)
                        .toList();
        noClasses()
                .that()
                .resideInAPackage("dev.llmcls." + name)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden.toArray(String[]::new))
                .check(classes);
    }

    @Test
    void everyPackageIsInTheMap() {
        var found = new java.util.TreeSet<String>();
        classes.forEach(
                c -> {
                    String pkg = c.getPackageName();
                    if (pkg.startsWith("dev.llmcls.")) {
                        found.add(pkg.substring("dev.llmcls.".length()));
                    }
                });
        org.junit.jupiter.api.Assertions.assertEquals(
                new java.util.TreeSet<>(PACKAGES),
                found,
                "a new package needs its place in allowedDependencies and a package-info.java");
        org.junit.jupiter.api.Assertions.assertEquals(
                new java.util.TreeSet<>(PACKAGES),
                allowedDependencies()
                        .map(a -> (String) a.get()[0])
                        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)),
                "every package in the map says what it may use");
        for (String name : PACKAGES) {
            org.junit.jupiter.api.Assertions.assertTrue(
                    java.nio.file.Files.isRegularFile(
                            MAIN_SOURCES
                                    .resolve(name.replace('.', '/'))
                                    .resolve("package-info.java")),
                    name + " has no package-info.java saying what it holds");
        }
    }

    @ParameterizedTest(name = "{0} holds at most " + MOST_FILES + " files")
    @MethodSource("packageNames")
    void noPackageHoldsTooManyFiles(String name) throws java.io.IOException {
        try (Stream<java.nio.file.Path> files =
                java.nio.file.Files.list(MAIN_SOURCES.resolve(name.replace('.', '/')))) {
            long count = files.filter(f -> f.toString().endsWith(".java")).count();
            org.junit.jupiter.api.Assertions.assertTrue(
                    count <= MOST_FILES,
                    name + " holds " + count + " files; split it by capability");
        }
    }

    static Stream<String> packageNames() {
        return PACKAGES.stream();
    }

    @Test
    void noClassUsesLangchain4j() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.langchain4j..")
                .check(classes);
    }
}
