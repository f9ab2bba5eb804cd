package dev.llmcls.data.parquet;

import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet page compression in pure Java: snappy, zstd and LZ4_RAW through aircompressor, gzip
 * through {@code java.util.zip}. parquet-hadoop's own codecs go through Hadoop's codec classes and
 * native libraries (snappy-java, zstd-jni); with this factory the reader needs neither. The
 * compressors exist so that tests write fixtures the way pyarrow does (snappy by default).
 */
public final class PureJavaCodecs implements CompressionCodecFactory {
    /**
     * The codecs this factory reads: what pyarrow and the Hub write (snappy by default, zstd or
     * gzip on request).
     */
    public static final java.util.Set<CompressionCodecName> SUPPORTED =
            java.util.EnumSet.of(
                    CompressionCodecName.UNCOMPRESSED,
                    CompressionCodecName.SNAPPY,
                    CompressionCodecName.GZIP,
                    CompressionCodecName.ZSTD,
                    CompressionCodecName.LZ4_RAW);

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                byte[] input = bytes.toByteArray();
                return BytesInput.from(
                        switch (codec) {
                            case UNCOMPRESSED -> input;
                            case GZIP -> gzip(input);
                            case SNAPPY -> compressWith(new SnappyCompressor(), input);
                            case ZSTD -> compressWith(new ZstdCompressor(), input);
                            case LZ4_RAW -> compressWith(new Lz4Compressor(), input);
                            default -> throw unsupported(codec);
                        });
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        if (!SUPPORTED.contains(codec)) {
            throw unsupported(codec);
        }
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize)
                    throws IOException {
                return BytesInput.from(
                        decompressBytes(codec, bytes.toByteArray(), uncompressedSize));
            }

            @Override
            public void decompress(
                    ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(decompressBytes(codec, in, uncompressedSize));
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public void release() {}

    static byte[] decompressBytes(CompressionCodecName codec, byte[] input, int uncompressedSize)
            throws IOException {
        try {
            return switch (codec) {
                case UNCOMPRESSED -> input;
                case GZIP -> gunzip(input, uncompressedSize);
                case SNAPPY -> decompress(new SnappyDecompressor(), input, uncompressedSize);
                case ZSTD -> decompress(new ZstdDecompressor(), input, uncompressedSize);
                case LZ4_RAW -> decompress(new Lz4Decompressor(), input, uncompressedSize);
                default -> throw unsupported(codec);
            };
        } catch (MalformedInputException | IndexOutOfBoundsException e) {
            throw new IOException(codec + " page data is corrupt: " + e.getMessage(), e);
        }
    }

    private static byte[] decompress(Decompressor decompressor, byte[] input, int uncompressedSize)
            throws IOException {
        byte[] output = new byte[uncompressedSize];
        int written = decompressor.decompress(input, 0, input.length, output, 0, output.length);
        if (written != uncompressedSize) {
            throw new IOException(
                    "a page decompressed to "
                            + written
                            + " bytes, not the "
                            + uncompressedSize
                            + " its header states");
        }
        return output;
    }

    private static byte[] compressWith(Compressor compressor, byte[] input) {
        byte[] output = new byte[compressor.maxCompressedLength(input.length)];
        int written = compressor.compress(input, 0, input.length, output, 0, output.length);
        return Arrays.copyOf(output, written);
    }

    private static byte[] gzip(byte[] input) throws IOException {
        var out = new ByteArrayOutputStream(input.length / 2 + 64);
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(input);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] input, int uncompressedSize) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(input))) {
            byte[] output = in.readNBytes(uncompressedSize);
            if (output.length != uncompressedSize) {
                throw new IOException(
                        "a gzip page decompressed to "
                                + output.length
                                + " bytes, not the "
                                + uncompressedSize
                                + " its header states");
            }
            return output;
        }
    }

    private static UnsupportedOperationException unsupported(CompressionCodecName codec) {
        return new UnsupportedOperationException(
                "Parquet compression "
                        + codec
                        + " is not supported (llmcls reads "
                        + SUPPORTED
                        + ")");
    }
}
