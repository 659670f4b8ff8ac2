package dev.otpgate.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.ops.CallLog;

/** Collects the per-call JSON lines (logger {@value CallLog#CATEGORY}) while attached. */
public final class CallLines extends Handler implements AutoCloseable {

    private final List<String> messages = new CopyOnWriteArrayList<>();

    public static CallLines capture() {
        CallLines lines = new CallLines();
        Logger.getLogger(CallLog.CATEGORY).addHandler(lines);
        return lines;
    }

    @Override
    public void publish(LogRecord record) {
        messages.add(record.getMessage());
    }

    public List<JsonNode> all() {
        List<JsonNode> out = new ArrayList<>();
        messages.forEach(m -> out.add(Seed.tree(m)));
        return out;
    }

    public JsonNode last() {
        List<JsonNode> all = all();
        if (all.isEmpty()) {
            throw new AssertionError("no call log line was written");
        }
        return all.get(all.size() - 1);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger(CallLog.CATEGORY).removeHandler(this);
    }
}
