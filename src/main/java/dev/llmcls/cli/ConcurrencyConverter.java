package dev.llmcls.cli;

import picocli.CommandLine;

/**
 * {@code --concurrency}: a positive number, or {@code auto} (null: the job picks it from the
 * server).
 */
final class ConcurrencyConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        if (value.strip().equalsIgnoreCase("auto")) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new CommandLine.TypeConversionException(
                "expected a number of at least 1 or 'auto', got '" + value + "'");
    }
}
