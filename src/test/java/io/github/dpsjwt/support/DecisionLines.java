package io.github.dpsjwt.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

import io.github.dpsjwt.decision.Decisions;

/** The decision lines the running application writes, as a test sees them: listen before, close after. */
public final class DecisionLines implements AutoCloseable {

    /** One line: its text, the thread that made it, its level, and its MDC (the fields the JSON format writes). */
    public record Line(String message, String thread, Level level, Map<String, String> mdc) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final ExtHandler capture = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            lines.add(new Line(record.getFormattedMessage(), record.getThreadName(), record.getLevel(),
                    Map.copyOf(record.getMdcCopy())));
        }
    };

    private DecisionLines() {
        Logger.getLogger(Decisions.CATEGORY).addHandler(capture);
    }

    /** Starts listening to the decision category. */
    public static DecisionLines listen() {
        return new DecisionLines();
    }

    /** What has been written so far. */
    public List<Line> lines() {
        return lines;
    }

    /** The one line holding {@code marker}, waiting up to 5 s for the writer thread; fails on none or several. */
    public Line lineFor(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<Line> found = lines.stream().filter(l -> l.message().contains(marker)).toList();
            if (!found.isEmpty()) {
                assertEquals(1, found.size(), "one line per request: " + found);
                return found.get(0);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no decision line with " + marker + " in " + lines);
    }

    @Override
    public void close() {
        Logger.getLogger(Decisions.CATEGORY).removeHandler(capture);
    }
}
