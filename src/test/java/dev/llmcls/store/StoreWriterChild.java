package dev.llmcls.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child process for the store's many-writer tests: writes {@code count} answers (forever when
 * negative) through a {@link StoreSession}, answer i of writer w being a function of its request,
 * so that a reader can tell a wrong or half-written answer.
 */
public final class StoreWriterChild {
    private StoreWriterChild() {}

    static String request(int writer, int i) {
        return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"writer "
                + writer
                + " question "
                + i
                + "\"}],\"temperature\":0.0}";
    }

    static String answer(String request) {
        return "{\"choices\":[{\"message\":{\"content\":\""
                + dev.llmcls.core.Sha256.hex(request)
                + "\"}}]}";
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int writer = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        var settings = new StoreSettings(dir, StoreSettings.Use.READ_WRITE, false);
        try (StoreSession session =
                StoreSession.open(settings, "writer-" + writer, System.err::println)) {
            var memory = session.forModel("m");
            for (int i = 0; count < 0 || i < count; i++) {
                String request = request(writer, i);
                memory.lookUp(request.getBytes(StandardCharsets.UTF_8), false)
                        .keep(answer(request));
                if (count < 0 && i % 50 == 0) {
                    Thread.sleep(
                            1); // a steady stream of small transactions for the killer to land in
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
