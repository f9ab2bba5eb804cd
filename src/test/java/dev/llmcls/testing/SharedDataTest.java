package dev.llmcls.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The slices the repository holds are what their README says: the first rows of the full files,
 * unchanged.
 */
class SharedDataTest {
    @Test
    void slicesHaveTheRowsTheirReadmeStates() throws IOException {
        assertEquals(400, Files.readAllLines(SharedData.testSlice()).size());
        List<String> train = Files.readAllLines(SharedData.trainSlice());
        assertEquals(401, train.size());
        assertEquals("text,label", train.get(0));
    }

    @Test
    void testSliceIsTheHeadOfTheFullTestSplit() throws IOException {
        assertHead(SharedData.testSlice(), SharedData.fullAgNews("test.csv"));
    }

    @Test
    void trainSliceIsTheHeadOfTheFullTrainingSample() throws IOException {
        assertHead(SharedData.trainSlice(), SharedData.fullAgNews("train_sample_5000.csv"));
    }

    private static void assertHead(Path slice, Path full) throws IOException {
        byte[] head = Files.readAllBytes(slice);
        byte[] all = Files.readAllBytes(full);
        assertEquals(
                new String(head, 0, head.length, StandardCharsets.UTF_8),
                new String(all, 0, Math.min(head.length, all.length), StandardCharsets.UTF_8),
                slice + " is the first bytes of " + full);
    }
}
