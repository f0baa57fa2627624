package io.jfmi.worker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The worker's logging (rank JVMs, launch, the Lambda handler), set up in code: logback's XML configuration cost a
 * fresh JVM without a class archive about 100 ms of CPU before its first message, 70-80 ms of a Lambda cold start's
 * Init on one core (benchmarks/RESULTS.md; ranks that launch starts from the build's class archive saw no
 * difference). Messages go to standard error, so that standard output keeps the job's
 * own lines (progress, REPORT, the handler's response). {@code -Djfmi.log.level=LEVEL} sets the root level
 * (default INFO); {@code -Dlogback.configurationFile=FILE} hands the whole configuration to logback's own reader.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class WorkerLogging extends ContextAwareBase implements Configurator {
    /** The property that sets the root level. */
    public static final String LEVEL_PROPERTY = "jfmi.log.level";
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

    /** Libraries that are chatty at INFO, or warn about CUDA on every CPU-only start, and the level they get. */
    static final Map<String, Level> QUIETER = Map.of(
            "io.netty", Level.WARN,
            "ai.djl", Level.WARN,
            "software.amazon.awssdk", Level.WARN,
            "ai.djl.util.cuda.CudaUtils", Level.ERROR,          // "Failed to detect GPU count"
            "ai.djl.onnxruntime.engine.OrtEngine", Level.ERROR); // "CUDA is not supported OnnxRuntime engine"

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the user's (or the rendezvous server's) file wins
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel(System.getProperty(LEVEL_PROPERTY)));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The level named by {@code value}: INFO when unset; INFO with a warning on standard error when unknown. */
    static Level rootLevel(String value) {
        if (value == null) {
            return Level.INFO;
        }
        Level level = Level.toLevel(value, null);
        if (level == null) {
            System.err.println("-D" + LEVEL_PROPERTY + ": unknown level '" + value
                    + "' (TRACE, DEBUG, INFO, WARN, ERROR, OFF); logging at INFO");
            return Level.INFO;
        }
        return level;
    }
}
