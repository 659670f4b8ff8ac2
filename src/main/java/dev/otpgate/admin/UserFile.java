package dev.otpgate.admin;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * The files of {@code user import} and {@code user export}: CSV with the header
 * {@code DomainId,UserID,UserName,Mobile,Email,Prefer,Locale} (RFC 4180, Jackson's parser), or JSON Lines
 * with the same names, one object a line; ids may be JSON strings or whole numbers, as clients send them.
 * Rows are read one at a time, so a file of any size fits; each carries its line in the file (the CSV
 * header is line 1; a quoted field may span lines: the row's first line). Files are strict UTF-8, a leading
 * byte-order mark skipped ({@link Utf8Reader}). The CSV written is safe to open in a spreadsheet: a cell that
 * would start with = + - @ TAB CR (a formula) starts with ' instead (OWASP's CSV-injection advice), which
 * the import takes off again ({@link CsvCells}). An export is created for its owner only and never replaces
 * a file (nor follows a link) unless asked to.
 */
final class UserFile {

    enum Format {
        CSV, JSONL
    }

    /** One row: the user it names, or why it cannot be read. */
    record Row(long line, DirectoryUser user, String problem) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One object a line: a second one, or a name given twice, is the row's refusal, not a silent drop. */
    private static final ObjectReader JSON_LINE = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Jackson's bound on one value: past it, the file is refused with its line (a directory field is far shorter). */
    private static final int MAX_FIELD = StreamReadConstraints.DEFAULT_MAX_STRING_LEN;
    /** Quotes only the fields that need it (Jackson's default also quotes, e.g., a leading '+'). */
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private static final List<String> FIELDS = List.of(DirectoryUser.FIELDS);

    private UserFile() {
    }

    /** The rows, read lazily; close it when done. A file whose header is wrong fails here, before any row. */
    static Rows read(Path file, Format format) throws IOException {
        return format == Format.CSV ? new CsvRows(file) : new JsonRows(file);
    }

    /** Writes every user in the import's format, to a new file only its owner reads; {@code replace}: an existing one goes first. */
    static Writer write(Path file, Format format, boolean replace) throws IOException {
        return new Writer(file, format, replace);
    }

    abstract static class Rows implements Iterator<Row>, Closeable {
        private Row next;

        abstract Row read() throws IOException;

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    next = read();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return next != null;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = next;
            next = null;
            return row;
        }
    }

    private static final class CsvRows extends Rows {
        private final CsvParser parser;
        /** Field -> its column in the file, -1 when the file has none. */
        private final int[] column = new int[FIELDS.size()];
        private final int columns;

        CsvRows(Path file) throws IOException {
            parser = (CsvParser) CSV.getFactory().createParser(new Utf8Reader(Files.newInputStream(file)));
            List<String> header = record();
            if (header == null) {
                throw new IOException("the file is empty: its first line is the header " + String.join(",", FIELDS));
            }
            Arrays.fill(column, -1);
            for (int i = 0; i < header.size(); i++) {
                int field = FIELDS.indexOf(header.get(i).trim());
                if (field < 0) {
                    throw new IOException("line 1: unknown column \"" + header.get(i) + "\"; the header is "
                            + String.join(",", FIELDS));
                }
                column[field] = i;
            }
            columns = header.size();
            for (int f = 0; f < 3; f++) {
                if (column[f] < 0) {
                    throw new IOException("line 1: the header has no " + FIELDS.get(f) + " column");
                }
            }
        }

        private long line;

        /** The next record's fields, null at the end; {@link #line} is the line it starts on. */
        private List<String> record() throws IOException {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            List<String> fields = new ArrayList<>();
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
                if (fields.isEmpty()) { // the first field's place: the row's array starts where the last row ended
                    line = parser.currentTokenLocation().getLineNr();
                }
                fields.add(CsvCells.restored(parser.getText()));
            }
            return fields;
        }

        @Override
        Row read() throws IOException {
            List<String> fields;
            try {
                fields = record();
            } catch (StreamConstraintsException e) {
                throw new IOException("line " + parser.currentLocation().getLineNr() + ": a field of more than "
                        + MAX_FIELD + " characters: not a directory file");
            } catch (JsonProcessingException e) {
                long at = e.getLocation() != null ? e.getLocation().getLineNr() : parser.currentLocation().getLineNr();
                throw new IOException("line " + at + ": " + e.getOriginalMessage());
            }
            while (fields != null && fields.size() == 1 && fields.get(0).isBlank()) {
                fields = record(); // a blank line
            }
            if (fields == null) {
                return null;
            }
            if (fields.size() != columns) {
                return new Row(line, null, fields.size() + " fields, the header has " + columns);
            }
            String[] v = new String[FIELDS.size()];
            for (int f = 0; f < v.length; f++) {
                v[f] = column[f] >= 0 && column[f] < fields.size() ? fields.get(column[f]).strip() : null;
            }
            return new Row(line, new DirectoryUser(v[0], v[1], v[2], v[3], v[4], v[5], v[6]), null);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    private static final class JsonRows extends Rows {
        private final BufferedReader reader;
        private long line;

        JsonRows(Path file) throws IOException {
            reader = new BufferedReader(new Utf8Reader(Files.newInputStream(file)));
        }

        @Override
        Row read() throws IOException {
            String text;
            do {
                text = reader.readLine();
                line++;
            } while (text != null && text.isBlank());
            if (text == null) {
                return null;
            }
            JsonNode node;
            try {
                node = JSON_LINE.readTree(text);
            } catch (JsonProcessingException e) {
                return new Row(line, null, "not JSON: " + e.getOriginalMessage());
            }
            if (!node.isObject()) {
                return new Row(line, null, "not a JSON object");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    return new Row(line, null, "unknown field \"" + name + "\"; the fields are " + String.join(", ", FIELDS));
                }
            }
            String[] v = new String[FIELDS.size()];
            for (int f = 0; f < v.length; f++) {
                JsonNode value = node.get(FIELDS.get(f));
                if (value == null || value.isNull()) {
                    continue;
                }
                if (value.isTextual() || value.isIntegralNumber()) {
                    v[f] = value.asText().strip();
                } else {
                    return new Row(line, null, FIELDS.get(f) + " must be a string" + (f < 2 ? " or a whole number" : ""));
                }
            }
            return new Row(line, new DirectoryUser(v[0], v[1], v[2], v[3], v[4], v[5], v[6]), null);
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    static final class Writer implements Closeable {
        private final BufferedWriter out;
        private final Format format;
        private final com.fasterxml.jackson.databind.SequenceWriter csv;

        private Writer(Path file, Format format, boolean replace) throws IOException {
            if (replace) {
                Files.deleteIfExists(file); // a link itself, never what it points to
            } else if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(file + " already exists: --force replaces it");
            }
            // CREATE_NEW neither follows a link nor opens a file put there meanwhile
            this.out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(Files.newByteChannel(file,
                    java.util.Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW), ownerOnly(file))),
                    StandardCharsets.UTF_8));
            this.format = format;
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
            FIELDS.forEach(schema::addColumn);
            this.csv = format == Format.CSV ? CSV.writerFor(String[].class).with(schema.build()).writeValues(out) : null;
        }

        void write(DirectoryUser user) throws IOException {
            String[] values = user.values();
            if (format == Format.CSV) {
                String[] cells = new String[values.length];
                for (int f = 0; f < values.length; f++) {
                    cells[f] = CsvCells.neutral(values[f]);
                }
                csv.write(cells);
                return;
            }
            ObjectNode node = JSON.createObjectNode();
            for (int f = 0; f < values.length; f++) {
                if (!values[f].isEmpty()) {
                    node.put(FIELDS.get(f), values[f]);
                }
            }
            out.write(JSON.writeValueAsString(node));
            out.write('\n');
        }

        private static FileAttribute<?>[] ownerOnly(Path file) {
            boolean posix = file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
            return posix ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) }
                    : new FileAttribute<?>[0];
        }

        @Override
        public void close() throws IOException {
            if (csv != null) {
                csv.close();
            }
            out.close();
        }
    }
}
