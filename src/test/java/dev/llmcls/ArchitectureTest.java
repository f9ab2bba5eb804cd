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
 * The package map of the package-info files, enforced: the packages form no cycle, {@code cli} sits on top (only
 * {@link Main} uses it), {@code core} depends on no other llmcls package, and langchain4j's types stay inside
 * {@code llm}. Reads the compiled main classes, not the tests.
 */
class ArchitectureTest {
    private static final List<String> PACKAGES = List.of("core", "data", "label", "llm", "prompt", "embed", "eval",
            "multilabel", "run", "report", "cli");
    private static final java.nio.file.Path MAIN_CLASSES = java.nio.file.Path.of("target", "classes");
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // The compiled main classes only: scanning the dependency jars (the bundled models make them large) for the
        // package would take most of the test's time.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(List.of(Location.of(MAIN_CLASSES)));
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("dev.llmcls.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyMainUsesTheCommandLinePackage() {
        noClasses().that().resideOutsideOfPackage("dev.llmcls.cli..").and().doNotHaveFullyQualifiedName(Main.class.getName())
                .should().dependOnClassesThat().resideInAPackage("dev.llmcls.cli..").check(classes);
    }

    /** What each package may use, as its package-info says; the root package holds only {@link Main}. */
    static Stream<Arguments> allowedDependencies() {
        return Stream.of(
                Arguments.of("core", List.of()),
                Arguments.of("data", List.of("core")),
                Arguments.of("label", List.of("core", "data")),
                Arguments.of("llm", List.of("core")),
                Arguments.of("prompt", List.of("core", "data")),
                Arguments.of("embed", List.of("core", "data", "llm")),
                Arguments.of("eval", List.of("core", "data", "label")),
                Arguments.of("multilabel", List.of("core", "data", "label")),
                Arguments.of("run", List.of("core", "data", "label", "llm", "prompt", "embed")),
                Arguments.of("report", List.of("core", "eval", "multilabel")),
                Arguments.of("cli", List.of("core", "data", "label", "llm", "prompt", "embed", "eval", "multilabel", "run",
                        "report")));
    }

    @ParameterizedTest(name = "{0} uses only {1}")
    @MethodSource("allowedDependencies")
    void eachPackageUsesOnlyThePackagesBelowIt(String name, List<String> allowed) {
        List<String> forbidden = PACKAGES.stream().filter(p -> !p.equals(name) && !allowed.contains(p))
                .map(p -> "dev.llmcls." + p + "..").toList();
        noClasses().that().resideInAPackage("dev.llmcls." + name + "..").should().dependOnClassesThat()
                .resideInAnyPackage(forbidden.toArray(String[]::new)).check(classes);
    }

    @Test
    void everyPackageIsInTheMap() {
        var found = new java.util.TreeSet<String>();
        classes.forEach(c -> {
            String pkg = c.getPackageName();
            if (pkg.startsWith("dev.llmcls.")) {
                found.add(pkg.substring("dev.llmcls.".length()).split("\\.")[0]);
            }
        });
        org.junit.jupiter.api.Assertions.assertEquals(new java.util.TreeSet<>(PACKAGES), found,
                "a new package needs its place in allowedDependencies and a package-info.java");
        for (String name : PACKAGES) {
            org.junit.jupiter.api.Assertions.assertTrue(
                    java.nio.file.Files.isRegularFile(java.nio.file.Path.of("src/main/java/dev/llmcls", name,
                            "package-info.java")), name + " has no package-info.java saying what it holds");
        }
    }

    @Test
    void langchain4jStaysInsideLlm() {
        noClasses().that().resideOutsideOfPackage("dev.llmcls.llm..").should().dependOnClassesThat()
                .resideInAPackage("dev.langchain4j..").check(classes);
    }
}
