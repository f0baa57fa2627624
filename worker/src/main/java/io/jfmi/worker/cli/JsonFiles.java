package io.jfmi.worker.cli;

import com.google.gson.JsonObject;
import io.jfmi.worker.lambda.InferenceHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the JSON object a command option names (an event, a payload, a definition); '-' is standard input. */
final class JsonFiles {
    private JsonFiles() {
    }

    /** The object in {@code file}; a missing file or one that is not a JSON object is an error naming the option. */
    static JsonObject readObject(Path file, String option) throws IOException {
        try (InputStream in = file.toString().equals("-") ? System.in : Files.newInputStream(file)) {
            return InferenceHandler.readEvent(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + file + ": " + e.getMessage(), e);
        }
    }
}
