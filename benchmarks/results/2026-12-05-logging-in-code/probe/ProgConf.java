import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
public class ProgConf extends ContextAwareBase implements Configurator {
    public ExecutionStatus configure(LoggerContext lc) {
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(lc); enc.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n"); enc.start();
        ConsoleAppender<ILoggingEvent> app = new ConsoleAppender<>();
        app.setContext(lc); app.setTarget("System.err"); app.setEncoder(enc); app.start();
        lc.getLogger("io.netty").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO); root.addAppender(app);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
