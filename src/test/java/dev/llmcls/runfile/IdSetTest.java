package dev.llmcls.runfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resume set answers exactly as a HashSet of strings would, holding row numbers as bits. */
class IdSetTest {
    private static final List<String> IDS =
            List.of(
                    "0",
                    "7",
                    "10",
                    "999999999",
                    "007",
                    "-1",
                    "+3",
                    "1e3",
                    "",
                    "1000000000",
                    "2147483648",
                    "a-1",
                    "٣",
                    "42 ");

    @Test
    void behavesAsASetOfStrings() {
        var ids = new IdSet();
        var reference = new HashSet<String>();
        for (String id : IDS) {
            assertEquals(reference.add(id), ids.add(id), "first add of '" + id + "'");
            assertEquals(reference.add(id), ids.add(id), "second add of '" + id + "'");
        }
        assertEquals(reference, ids);
        assertEquals(reference.size(), ids.size());
        assertEquals(reference, new HashSet<>(ids), "iteration yields every id, spelled as added");
        for (String probe :
                List.of(
                        "0",
                        "00",
                        "7",
                        "07",
                        "10",
                        "1",
                        "999999999",
                        "-1",
                        "-0",
                        "1000000000",
                        "x",
                        "42")) {
            assertEquals(
                    reference.contains(probe), ids.contains(probe), "contains '" + probe + "'");
        }
        Object seven = 7; // through Object, as a caller of Set.contains(Object) could pass it
        assertFalse(ids.contains(seven), "an Integer is not an id");
    }

    @Test
    void rowNumbersAreHeldAsBitsAndOtherIdsAsStrings() {
        var ids = new IdSet();
        for (int i = 0; i < 100_000; i++) {
            ids.add(Integer.toString(i));
        }
        ids.add("007");
        ids.add("row-1");
        assertEquals(100_002, ids.size());
        assertEquals(
                2,
                ids.stringsHeld(),
                "only the two ids that are not canonical numbers are strings");
    }

    @Test
    void resumeLoadsTheSucceededIdsOfAnOutput(@TempDir Path dir) {
        Path output = dir.resolve("out.jsonl");
        try (var writer = new JsonlWriter(output)) {
            writer.write(new RunRecord("0", "t", "World", "World", "stop", 1, 1, 1, null, 1));
            writer.write(
                    new RunRecord("1", "t", "World", null, null, null, null, 1, "HTTP 500", 5));
            writer.write(new RunRecord("x-2", "t", "World", "World", "stop", 1, 1, 1, null, 1));
            writer.write(new RunRecord("3", "t", "World", "World", "stop", 1, 1, 1, null, 1));
        }
        Set<String> done = ResumeState.load(output).succeededIds();
        assertEquals(Set.of("0", "x-2", "3"), done);
        assertTrue(done instanceof IdSet);
    }
}
