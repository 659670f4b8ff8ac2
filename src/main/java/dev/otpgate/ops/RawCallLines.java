package dev.otpgate.ops;

import java.util.logging.Handler;
import java.util.logging.Logger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.formatters.StructuredFormatter;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.runtime.StartupEvent;

/**
 * Keeps the per-call line (CallLog, handler "calls") the raw EMF document CloudWatch reads metrics from. With
 * the JSON console format on (quarkus-logging-json, profiles prod and it), Quarkus gives every console handler
 * the JSON formatter, the named ones too, and ignores their format: the call line would be printed as
 * {@code {"message":"{\"_aws\":...}"}}, which is no EMF document. This gives the call logger's handlers their
 * configured format back ({@code %s%n}): at start (before a SnapStart snapshot), and before the first request's
 * filters in case that request comes before the start event (the native poll loop starts earlier).
 */
@Singleton
public class RawCallLines {

    static final String FORMAT_KEY = "quarkus.log.handler.console.\"calls\".format";

    private static volatile boolean raw;

    void atStart(@Observes StartupEvent start) {
        keepRaw();
    }

    @ServerRequestFilter(preMatching = true, priority = RequestIdLog.FIRST_IN_LAST_OUT + 1)
    void beforeTheFirstCall() {
        if (!raw) {
            keepRaw();
        }
    }

    static synchronized void keepRaw() {
        String format = ConfigProvider.getConfig().getOptionalValue(FORMAT_KEY, String.class).orElse("%s%n");
        for (Handler handler : Logger.getLogger(CallLog.CATEGORY).getHandlers()) {
            keepRaw(handler, format);
        }
        raw = true;
    }

    private static void keepRaw(Handler handler, String format) {
        if (handler.getFormatter() instanceof StructuredFormatter) {
            handler.setFormatter(new PatternFormatter(format));
        }
        if (handler instanceof ExtHandler ext) { // an async or delayed handler around the console handler
            for (Handler nested : ext.getHandlers()) {
                keepRaw(nested, format);
            }
        }
    }
}
