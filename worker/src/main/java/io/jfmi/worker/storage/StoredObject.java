package io.jfmi.worker.storage;

/** One object (or file) in a store: its key relative to the store's root, size in bytes and version tag. */
public record StoredObject(String key, long size, String etag) {
}
