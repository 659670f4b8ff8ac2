package dev.otpgate.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A file's text, strictly UTF-8: a byte that is not UTF-8 fails with the line it is on (the JDK's readers
 * say only "Input length = 1", somewhere ahead of the line being read), and a leading byte-order mark, which
 * spreadsheets write, is skipped. Lines are counted on the bytes: '\n' is never part of a longer UTF-8 sequence.
 */
final class Utf8Reader extends Reader {

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).flip();
    private boolean eof;
    private boolean started;
    private long line = 1;

    Utf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (out.position() == offset) {
            if (!bytes.hasRemaining() || !eof && bytes.remaining() < 4) {
                if (eof && !bytes.hasRemaining()) {
                    return -1;
                }
                fill();
            }
            int from = bytes.position();
            CoderResult result = decoder.decode(bytes, out, eof);
            count(from, bytes.position());
            if (result.isError()) {
                throw new IOException("line " + line + ": not UTF-8 text (save the file as UTF-8, as a spreadsheet's "
                        + "\"CSV UTF-8\" does)");
            }
            if (eof && !bytes.hasRemaining()) {
                decoder.flush(out);
                break;
            }
        }
        return out.position() == offset ? -1 : out.position() - offset;
    }

    private void fill() throws IOException {
        bytes.compact();
        do { // at the start, the first three bytes at once: a byte-order mark is whole
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                eof = true;
                break;
            }
            bytes.position(bytes.position() + n);
        } while (!started && bytes.position() < 3);
        bytes.flip();
        if (!started) {
            started = true;
            if (bytes.remaining() >= 3 && (bytes.get(0) & 0xff) == 0xEF && (bytes.get(1) & 0xff) == 0xBB
                    && (bytes.get(2) & 0xff) == 0xBF) {
                bytes.position(3);
            }
        }
    }

    private void count(int from, int to) {
        byte[] a = bytes.array();
        for (int i = from; i < to; i++) {
            if (a[i] == '\n') {
                line++;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
