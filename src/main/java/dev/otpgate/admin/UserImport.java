package dev.otpgate.admin;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.otpgate.dynamo.Attr;
import dev.otpgate.otp.OrgKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code user import}: the good rows of a file stored in the directory, in chunks of 100 rows. A chunk reads
 * the items it names (one BatchGetItem), keeps those already as the row says ("unchanged": a re-run writes
 * nothing) and puts the others (BatchWriteItem, 25 a call). Several chunks are in flight at once on a small
 * fixed pool, which is what makes it fast: each call waits mostly on the network. The reading of the file and
 * the checks stay on the caller's thread, in file order, so the refused rows are listed in order.
 *
 * <p>A row replaces the user's directory fields (an empty field removes the stored one, as {@code user put}
 * with ""); attributes the directory item may hold besides those are kept. Between a chunk's read and its
 * write another writer's change to the same user would be overwritten: imports are an operator's bulk step,
 * not concurrent edits.
 */
final class UserImport {

    /** What an import did. */
    record Counts(long written, long unchanged, long refused) {
    }

    private static final List<String> DIRECTORY_FIELDS = List.of(Attr.USER_NAME, Attr.MOBILE, Attr.EMAIL,
            Attr.PREFER, Attr.LOCALE);

    private final Batches users;
    private final OrgKeys keys;
    private final String org;
    private final int threads;
    private final PrintStream report;
    private final PrintStream progress;
    private final Duration every;

    /** DynamoDB's bound on one item, its attribute names and values counted as it counts them (ItemSize). */
    static final long MAX_ITEM_BYTES = 400 * 1024;

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong tooBig = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong done = new AtomicLong();

    UserImport(DynamoDbClient dynamo, String usersTable, OrgKeys keys, String org, int threads, PrintStream report,
            PrintStream progress, Duration every) {
        this.users = new Batches(dynamo, usersTable);
        this.keys = keys;
        this.org = org;
        this.threads = threads;
        this.report = report;
        this.progress = progress;
        this.every = every;
    }

    /**
     * Checks every row, lists the refused ones on {@code report} ("line N: reason"), and stores the good ones
     * unless {@code dryRun} (then "written" counts what would be). {@code total}: the rows in the file, for the
     * progress lines.
     */
    Counts run(Iterator<UserFile.Row> rows, long total, boolean dryRun) throws InterruptedException {
        long refused = 0;
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        Semaphore inFlight = new Semaphore(threads * 2); // bounds the rows held in memory
        List<Future<?>> chunks = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        ticker.scheduleAtFixedRate(() -> progress(total, started), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        try {
            List<UserFile.Row> chunk = new ArrayList<>(Batches.GET_SIZE);
            while (rows.hasNext()) {
                UserFile.Row row = rows.next();
                String problem = row.problem() != null ? row.problem()
                        : row.user().problem(UserImport::field).orElse(null);
                if (problem == null) {
                    Long first = seen.putIfAbsent(row.user().domainId() + "/" + row.user().userId(), row.line());
                    problem = first == null ? null : "the same user as line " + first;
                }
                if (problem != null) {
                    report.println("line " + row.line() + ": " + problem);
                    refused++;
                    done.incrementAndGet();
                    continue;
                }
                chunk.add(row);
                if (chunk.size() == Batches.GET_SIZE) {
                    chunks.add(submit(pool, inFlight, chunk, dryRun));
                    chunk = new ArrayList<>(Batches.GET_SIZE);
                }
            }
            if (!chunk.isEmpty()) {
                chunks.add(submit(pool, inFlight, chunk, dryRun));
            }
            for (Future<?> f : chunks) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            ticker.shutdownNow();
            pool.shutdownNow();
        }
        progress(total, started);
        return new Counts(written.get(), unchanged.get(), refused + tooBig.get());
    }

    private Future<?> submit(ExecutorService pool, Semaphore inFlight, List<UserFile.Row> chunk, boolean dryRun)
            throws InterruptedException {
        inFlight.acquire();
        return pool.submit(() -> {
            try {
                store(chunk, dryRun);
            } finally {
                inFlight.release();
            }
        });
    }

    /**
     * One chunk: read what is stored, put what differs. A row whose item would pass DynamoDB's 400 KB (with the
     * attributes the item holds besides the directory's) is refused here, in the dry run as in the import: a
     * batch with it would fail whole.
     */
    private void store(List<UserFile.Row> rows, boolean dryRun) {
        List<DirectoryUser> chunk = rows.stream().map(UserFile.Row::user).toList();
        List<Map<String, AttributeValue>> keyList = new ArrayList<>(chunk.size());
        for (DirectoryUser u : chunk) {
            keyList.add(Map.of(Attr.DOMAIN_ID, Attr.s(keys.scoped(org, u.domainId())), Attr.USER_ID, Attr.s(u.userId())));
        }
        Map<List<String>, Map<String, AttributeValue>> stored = new HashMap<>();
        for (Map<String, AttributeValue> item : users.get(keyList)) {
            stored.put(List.of(Attr.string(item, Attr.DOMAIN_ID), Attr.string(item, Attr.USER_ID)), item);
        }
        List<Map<String, AttributeValue>> changed = new ArrayList<>();
        for (UserFile.Row row : rows) {
            DirectoryUser u = row.user();
            Map<String, AttributeValue> wanted = u.attributes(keys.scoped(org, u.domainId()));
            Map<String, AttributeValue> old = stored.get(List.of(keys.scoped(org, u.domainId()), u.userId()));
            if (old != null) {
                Map<String, AttributeValue> merged = new HashMap<>(old);
                DIRECTORY_FIELDS.forEach(merged::remove);
                merged.putAll(wanted);
                wanted = merged;
            }
            if (wanted.equals(old)) {
                unchanged.incrementAndGet();
            } else if (ItemSize.of(wanted) > MAX_ITEM_BYTES) {
                tooBig.incrementAndGet();
                report.println("line " + row.line() + ": too big to store: the user's item would have " + ItemSize.of(wanted)
                        + " bytes (the attributes it holds besides these included), DynamoDB takes " + MAX_ITEM_BYTES);
            } else {
                changed.add(wanted);
            }
        }
        for (int i = 0; i < changed.size(); i += Batches.WRITE_SIZE) {
            List<Map<String, AttributeValue>> batch = changed.subList(i, Math.min(changed.size(), i + Batches.WRITE_SIZE));
            if (!dryRun) {
                users.put(batch);
            }
            written.addAndGet(batch.size());
        }
        done.addAndGet(chunk.size());
    }

    private void progress(long total, long started) {
        long rows = done.get();
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        progress.printf("%d of %d rows (%d%%), %.0f rows/s%n", rows, total, total == 0 ? 100 : rows * 100 / total,
                rows / seconds);
        progress.flush();
    }

    /** A field as the file names it, for the reasons of refused rows. */
    private static String field(String option) {
        return switch (option) {
            case "domain" -> "DomainId";
            case "user" -> "UserID";
            case "name" -> "UserName";
            default -> Character.toUpperCase(option.charAt(0)) + option.substring(1);
        };
    }
}
