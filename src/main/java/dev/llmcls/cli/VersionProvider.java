package dev.llmcls.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * Reads the version that the build wrote into the jar, so {@code --version} never disagrees with
 * the build.
 */
public final class VersionProvider implements CommandLine.IVersionProvider {
    public static String version() {
        try (InputStream in =
                VersionProvider.class.getResourceAsStream("/llmcls-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"llmcls " + version(), "Java " + System.getProperty("java.version")};
    }
}
