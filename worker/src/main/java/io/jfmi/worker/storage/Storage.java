package io.jfmi.worker.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A bucket-like store addressed by keys ("a/b/c.npz"): an S3 bucket or a local folder. Uploads are published whole
 * (a reader sees the old object or the complete new one, never part of one), so a marker written last (such as
 * {@code _SUCCESS}) means every object before it is complete.
 */
public interface Storage extends AutoCloseable {

    /** Every object whose key starts with {@code prefix}, in key order (listing pages followed to the end). */
    List<StoredObject> list(String prefix) throws IOException;

    /** Copies object {@code key} to {@code target} (parent folders created); names the store and key on failure. */
    StoredObject download(String key, Path target) throws IOException;

    /** Publishes {@code source} as object {@code key}. */
    void upload(Path source, String key) throws IOException;

    /** Publishes {@code bytes} as object {@code key}. */
    void put(String key, byte[] bytes) throws IOException;

    /** Removes object {@code key} if it exists. */
    void delete(String key) throws IOException;

    /** A readable name for the object, for logs and errors: {@code s3://bucket/key} or a path. */
    String describe(String key);

    @Override
    void close();
}
