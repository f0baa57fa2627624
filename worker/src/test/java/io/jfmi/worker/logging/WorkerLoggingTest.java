package io.jfmi.worker.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The worker's logging set up in code: found by logback, the same set-up logback.xml made, and its two properties. */
class WorkerLoggingTest {
    private final LoggerContext context = new LoggerContext();

    @AfterEach
    void clearProperties() {
        System.clearProperty(WorkerLogging.LEVEL_PROPERTY);
        System.clearProperty("logback.configurationFile");
        context.stop();
    }

    private Logger configured() {
        WorkerLogging logging = new WorkerLogging();
        logging.setContext(context);
        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, logging.configure(context));
        return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void logbackFindsItAndTheWorkerJvmsLoggerUsesIt() {
        assertTrue(ServiceLoader.load(Configurator.class).stream()
                .anyMatch(p -> p.type() == WorkerLogging.class), "META-INF/services must name WorkerLogging");
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertNotNull(root.getAppender("STDERR"), "this test JVM's logging was not made by WorkerLogging");
    }

    @Test
    void messagesGoToStandardErrorInTheJobsPatternWithChattyLibrariesQuieter() {
        Logger root = configured();
        assertEquals(Level.INFO, root.getLevel());
        ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        assertTrue(stderr.isStarted());
        assertEquals("System.err", stderr.getTarget());
        assertEquals(WorkerLogging.PATTERN, ((PatternLayoutEncoder) stderr.getEncoder()).getPattern());
        assertEquals(Level.WARN, context.getLogger("io.netty.channel").getEffectiveLevel());
        assertEquals(Level.WARN, context.getLogger("ai.djl.engine.Engine").getEffectiveLevel());
        assertEquals(Level.WARN, context.getLogger("software.amazon.awssdk.core").getEffectiveLevel());
        assertEquals(Level.ERROR, context.getLogger("ai.djl.util.cuda.CudaUtils").getEffectiveLevel());
        assertEquals(Level.ERROR, context.getLogger("ai.djl.onnxruntime.engine.OrtEngine").getEffectiveLevel());
        assertEquals(Level.INFO, context.getLogger("io.jfmi.core.Communicator").getEffectiveLevel());
    }

    @Test
    void theLevelPropertySetsTheRootAndAnUnknownLevelIsNamedNotObeyed() {
        System.setProperty(WorkerLogging.LEVEL_PROPERTY, "warn");
        assertEquals(Level.WARN, configured().getLevel());

        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Level.INFO, WorkerLogging.rootLevel("verbose"));
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("-Djfmi.log.level: unknown level 'verbose'"), text);
        assertTrue(text.contains("logging at INFO"), text);
        assertEquals(Level.INFO, WorkerLogging.rootLevel(null));
    }

    @Test
    void aLogbackFileNamedByTheUserTakesOver() {
        System.setProperty("logback.configurationFile", "my-logback.xml");
        WorkerLogging logging = new WorkerLogging();
        logging.setContext(context);
        assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, logging.configure(context));
        assertFalse(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext(),
                "nothing may be set up when the user's file is to be read");
    }
}
