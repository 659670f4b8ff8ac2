package dev.otpgate.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The formatted messages of one logger, while attached. */
public final class Logged extends Handler implements AutoCloseable {

    public final List<String> messages = new CopyOnWriteArrayList<>();
    private final String name;

    private Logged(String name) {
        this.name = name;
    }

    public static Logged on(String name) {
        Logged l = new Logged(name);
        Logger.getLogger(name).addHandler(l);
        return l;
    }

    public String all() {
        return String.join("\n", messages);
    }

    @Override
    public void publish(LogRecord record) {
        messages.add(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                : record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger(name).removeHandler(this);
    }
}
