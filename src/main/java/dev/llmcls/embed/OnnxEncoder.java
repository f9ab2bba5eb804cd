package dev.llmcls.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A bundled BERT-style ONNX model run directly on ONNX Runtime: texts are tokenized, padded into
 * one batch and encoded in a single {@code run}, and each text's vector pooled from the output.
 * Tokens, pooling and normalisation follow langchain4j's {@code OnnxBertBiEncoder} step for step
 * (texts longer than 510 tokens are split between words and their parts averaged by length), so a
 * batch of one gives bit for bit the vector langchain4j gives, which is what the cache holds.
 *
 * <p>A batch of several texts is <em>not</em> bit-compatible: the quantized models quantize each
 * layer's input over the whole batch tensor (one scale for all rows), so a text's vector shifts
 * slightly with its batch-mates (cosine 0.99+ to the single-text vector). llmcls's Embedder
 * therefore caches only vectors computed one text per call.
 *
 * <p>Each call runs on the calling thread ({@code threads} = 1, no spinning pool threads that burn
 * a shared core); callers run one call per core in parallel. Safe for concurrent use; input buffers
 * are kept per thread.
 */
public final class OnnxEncoder implements AutoCloseable {
    /** The longest part of a text the model sees at once: 512 positions less [CLS] and [SEP]. */
    static final int MAX_PART_TOKENS = 510;

    /** How a text's vector is taken from the model's per-token output. */
    public enum Pooling {
        CLS,
        MEAN
    }

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean typeIds;
    private final HuggingFaceTokenizer tokenizer;
    private final Pooling pooling;
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

    private OnnxEncoder(
            OrtEnvironment environment,
            OrtSession session,
            HuggingFaceTokenizer tokenizer,
            Pooling pooling)
            throws OrtException {
        this.environment = environment;
        this.session = session;
        this.typeIds = session.getInputNames().contains("token_type_ids");
        this.tokenizer = tokenizer;
        this.pooling = pooling;
    }

    /**
     * Loads {@code <resource>.onnx} and {@code <resource>-tokenizer.json} from the class path, with
     * {@code threads} intra-op threads per call (1: the calling thread only).
     */
    public static OnnxEncoder load(String resource, Pooling pooling, int threads) {
        try {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            var options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            // A spinning worker keeps a core busy between operators; on a machine shared with other
            // work (or with
            // the other calls of this run) that is pure loss.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            OrtSession session = environment.createSession(read(resource + ".onnx"), options);
            HuggingFaceTokenizer tokenizer;
            try (InputStream json = open(resource + "-tokenizer.json")) {
                tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false"));
            }
            return new OnnxEncoder(environment, session, tokenizer, pooling);
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "cannot load the embedding model " + resource + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedding model " + resource, e);
        }
    }

    /**
     * A text as the model will see it: one or more parts of token ids, each weighted by its length.
     */
    public record Tokens(List<long[]> parts, int[] weights) {
        /** Positions of the longest part (for sorting texts of similar length together). */
        public int length() {
            int max = 0;
            for (long[] part : parts) {
                max = Math.max(max, part.length);
            }
            return max;
        }
    }

    /** Token ids of a text, as langchain4j derives them. */
    public Tokens tokenize(String text) {
        Encoding whole = tokenizer.encode(text, true, false);
        List<String> tokens = Arrays.asList(whole.getTokens());
        List<List<String>> parts = split(tokens);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to embed in an empty text");
        }
        var ids = new ArrayList<long[]>(parts.size());
        int[] weights = new int[parts.size()];
        for (int p = 0; p < parts.size(); p++) {
            List<String> part = parts.get(p);
            weights[p] = part.size();
            String sentence = tokenizer.buildSentence(part);
            List<String> again = tokenizer.tokenize(sentence);
            boolean roundTrips =
                    again.size() == part.size() + 2
                            && again.subList(1, again.size() - 1).equals(part);
            if (roundTrips && parts.size() == 1) {
                // The decoded text tokenizes back to exactly these tokens, so its ids are the
                // text's own.
                ids.add(whole.getIds());
            } else {
                ids.add(
                        tokenizer
                                .encode(roundTrips ? sentence : String.join("", part), true, false)
                                .getIds());
            }
        }
        return new Tokens(ids, weights);
    }

    /**
     * Splits the tokens between [CLS] and [SEP] into parts of at most {@link #MAX_PART_TOKENS},
     * never ending a part before a word-piece continuation ({@code ##...}).
     */
    static List<List<String>> split(List<String> tokens) {
        var parts = new ArrayList<List<String>>();
        int last = tokens.size() - 1;
        int from = 1;
        while (from < last) {
            int to = from + MAX_PART_TOKENS;
            if (to >= last) {
                to = last;
            } else {
                while (tokens.get(to).startsWith("##")) {
                    to--;
                }
            }
            parts.add(tokens.subList(from, to));
            from = to;
        }
        return parts;
    }

    /**
     * Unit-length vectors of the texts, in their order, from one model call (texts of similar
     * length pad least).
     */
    public float[][] embed(List<Tokens> texts) {
        int rows = 0;
        int width = 0;
        for (Tokens text : texts) {
            rows += text.parts().size();
            width = Math.max(width, text.length());
        }
        float[][] pooled = run(texts, rows, width);
        float[][] out = new float[texts.size()][];
        int row = 0;
        for (int t = 0; t < texts.size(); t++) {
            Tokens text = texts.get(t);
            int parts = text.parts().size();
            out[t] = unit(parts == 1 ? pooled[row] : weightedMean(pooled, row, text.weights()));
            row += parts;
        }
        return out;
    }

    private float[][] run(List<Tokens> texts, int rows, int width) {
        Buffers buf = buffers.get();
        LongBuffer ids = buf.ids(rows * width);
        LongBuffer mask = buf.mask(rows * width);
        LongBuffer types = buf.types(rows * width);
        int[] lengths = new int[rows];
        int row = 0;
        for (Tokens text : texts) {
            for (long[] part : text.parts()) {
                lengths[row] = part.length;
                ids.put(part);
                for (int i = 0; i < part.length; i++) {
                    mask.put(1L);
                }
                for (int i = part.length; i < width; i++) {
                    ids.put(0L);
                    mask.put(0L);
                }
                row++;
            }
        }
        ids.flip();
        mask.flip();
        long[] shape = {rows, width};
        try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, ids, shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(environment, mask, shape);
                OnnxTensor typeTensor = OnnxTensor.createTensor(environment, types, shape)) {
            Map<String, OnnxTensor> inputs =
                    typeIds
                            ? Map.of(
                                    "input_ids",
                                    idTensor,
                                    "attention_mask",
                                    maskTensor,
                                    "token_type_ids",
                                    typeTensor)
                            : Map.of("input_ids", idTensor, "attention_mask", maskTensor);
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                long[] outShape = hidden.getInfo().getShape();
                int dimension = (int) outShape[2];
                FloatBuffer values = hidden.getFloatBuffer();
                float[][] pooled = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    pooled[r] = pool(values, r * width * dimension, lengths[r], dimension);
                }
                return pooled;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("the embedding model failed: " + e.getMessage(), e);
        }
    }

    /**
     * The [CLS] position's vector, or the mean over the text's own positions (summed in order, as
     * langchain4j).
     */
    private float[] pool(FloatBuffer values, int offset, int length, int dimension) {
        float[] out = new float[dimension];
        if (pooling == Pooling.CLS) {
            values.get(offset, out);
            return out;
        }
        float[] position = new float[dimension];
        for (int p = 0; p < length; p++) {
            values.get(offset + p * dimension, position);
            for (int j = 0; j < dimension; j++) {
                out[j] += position[j];
            }
        }
        for (int j = 0; j < dimension; j++) {
            out[j] /= length;
        }
        return out;
    }

    private static float[] weightedMean(float[][] pooled, int first, int[] weights) {
        int dimension = pooled[first].length;
        float[] out = new float[dimension];
        int total = 0;
        for (int p = 0; p < weights.length; p++) {
            total += weights[p];
            for (int j = 0; j < dimension; j++) {
                out[j] += pooled[first + p][j] * weights[p];
            }
        }
        for (int j = 0; j < dimension; j++) {
            out[j] /= total;
        }
        return out;
    }

    /**
     * Divides by the float norm, as langchain4j does before the vector reaches llmcls's
     * Vectors.normalised.
     */
    private static float[] unit(float[] v) {
        float sumSquares = 0;
        for (float x : v) {
            sumSquares += x * x;
        }
        float norm = (float) Math.sqrt(sumSquares);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / norm;
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        tokenizer.close();
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = open(resource)) {
            return in.readAllBytes();
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = OnnxEncoder.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException(resource + " is not on the class path");
        }
        return in;
    }

    /**
     * Direct input buffers of one thread, grown as needed and reused from call to call (ONNX
     * Runtime reads a direct buffer in place; a heap array would be copied into a fresh one each
     * time). Token types stay all zero.
     */
    private static final class Buffers {
        private LongBuffer ids = direct(0);
        private LongBuffer mask = direct(0);
        private LongBuffer types = direct(0);

        LongBuffer ids(int size) {
            ids = fit(ids, size);
            return ids;
        }

        LongBuffer mask(int size) {
            mask = fit(mask, size);
            return mask;
        }

        LongBuffer types(int size) {
            types = fit(types, size);
            types.limit(size);
            return types;
        }

        private static LongBuffer fit(LongBuffer buffer, int size) {
            LongBuffer out =
                    buffer.capacity() >= size
                            ? buffer
                            : direct(Math.max(size, buffer.capacity() * 2));
            out.clear();
            out.limit(size);
            return out;
        }

        private static LongBuffer direct(int size) {
            return ByteBuffer.allocateDirect(Long.BYTES * size)
                    .order(ByteOrder.nativeOrder())
                    .asLongBuffer();
        }
    }
}
