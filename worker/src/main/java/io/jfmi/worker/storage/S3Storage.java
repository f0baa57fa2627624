package io.jfmi.worker.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** One S3 bucket. S3 publishes a PUT whole, so uploads need no temporary key; downloads land in a temp file first. */
public final class S3Storage implements Storage {
    private final S3Client client;
    private final String bucket;
    private final boolean ownsClient;

    /** Uses {@code client} without closing it (clients are kept per container and shared). */
    public S3Storage(S3Client client, String bucket) {
        this(client, bucket, false);
    }

    private S3Storage(S3Client client, String bucket, boolean ownsClient) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3 bucket name is empty");
        }
        this.client = client;
        this.bucket = bucket;
        this.ownsClient = ownsClient;
    }

    /** A storage with a client of its own, closed with it. */
    public static S3Storage open(S3Settings settings, String bucket) {
        return new S3Storage(S3Clients.create(settings), bucket, true);
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        List<StoredObject> out = new ArrayList<>();
        try {
            for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
                if (!o.key().endsWith("/")) { // folder markers made by consoles and tools are not objects to copy
                    out.add(new StoredObject(o.key(), o.size(), o.eTag()));
                }
            }
        } catch (NoSuchBucketException e) {
            throw new IOException("s3://" + bucket + ": no such bucket", e);
        } catch (SdkException e) {
            throw new IOException("listing s3://" + bucket + "/" + prefix + " failed: " + e.getMessage(), e);
        }
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    @Override
    public StoredObject download(String key, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        try {
            Files.delete(tmp); // the SDK's file transformer refuses to overwrite
            GetObjectResponse r = client.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(tmp));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new StoredObject(key, r.contentLength() == null ? Files.size(target) : r.contentLength(), r.eTag());
        } catch (NoSuchKeyException e) {
            throw new IOException(describe(key) + ": no such object", e);
        } catch (NoSuchBucketException e) {
            throw new IOException("s3://" + bucket + ": no such bucket", e);
        } catch (SdkException e) {
            throw new IOException("downloading " + describe(key) + " failed: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void upload(Path source, String key) throws IOException {
        try {
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(source));
        } catch (SdkException e) {
            throw new IOException("uploading " + source + " to " + describe(key) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        try {
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw new IOException("writing " + describe(key) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            client.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new IOException("deleting " + describe(key) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe(String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
