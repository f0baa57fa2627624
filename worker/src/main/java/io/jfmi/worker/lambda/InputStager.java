package io.jfmi.worker.lambda;

import io.jfmi.worker.data.RankShare;
import io.jfmi.worker.storage.Storage;
import io.jfmi.worker.storage.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies what an event names from its bucket to the container's work dir, as the study's functions did: a folder
 * prefix to {@code <work>/<S3_object_name>/} (so the study's {@code /tmp/...} data_path resolves), one object, or
 * this rank's share of a partition listing. Objects already copied at the same version are not copied again.
 */
final class InputStager {
    private static final Logger log = LoggerFactory.getLogger(InputStager.class);
    /** The folder in which the study kept its fine-tuned model. */
    static final String MODEL_FOLDER = "Fine_Tune_Model";
    private static final List<String> DATA_EXTENSIONS = List.of(".pt", ".pth", ".npz", ".npy", ".safetensors");

    private final ContainerState state;
    private final Path work;
    private long bytesCopied;
    private int objectsCopied;
    private int objectsReused;

    InputStager(ContainerState state) {
        this.state = state;
        this.work = state.workDir();
    }

    /** Copies every object under {@code prefix} to the work dir, keeping keys as relative paths; returns its root. */
    Path copyFolder(Storage storage, String prefix) throws IOException {
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        List<StoredObject> objects = storage.list(p);
        if (objects.isEmpty()) {
            throw new IOException(storage.describe(p) + ": no objects under this prefix (object_type \"folder\")");
        }
        for (StoredObject o : objects) {
            copy(storage, o, local(o.key()));
        }
        return local(p);
    }

    /** Copies one object to {@code <work>/<key>}. */
    Path copyFile(Storage storage, String key) throws IOException {
        Path target = local(key);
        copy(storage, new StoredObject(key, -1, null), target);
        return target;
    }

    /**
     * Lists the partition's data files (at most {@code fileLimit}, 0 = all, in key order) and copies this rank's
     * contiguous share of them; returns them with the global index of the first sample left to the caller.
     */
    PartitionFiles copyPartitionShare(Storage storage, String prefix, int fileLimit, int rank, int worldSize)
            throws IOException {
        List<StoredObject> all = new ArrayList<>();
        for (StoredObject o : storage.list(prefix)) {
            String k = o.key().toLowerCase(Locale.ROOT);
            if (DATA_EXTENSIONS.stream().anyMatch(k::endsWith)) {
                all.add(o);
            }
        }
        if (all.isEmpty()) {
            throw new IOException(storage.describe(prefix) + ": no data files (" + String.join(", ", DATA_EXTENSIONS)
                    + ") under this prefix");
        }
        List<StoredObject> listed = fileLimit > 0 && all.size() > fileLimit ? all.subList(0, fileLimit) : all;
        RankShare share = RankShare.of(listed.size(), rank, worldSize);
        List<Path> mine = new ArrayList<>();
        for (StoredObject o : listed.subList((int) share.start(), (int) share.end())) {
            Path target = local("partition/" + o.key());
            copy(storage, o, target);
            mine.add(target);
        }
        return new PartitionFiles(mine, listed.size(), (int) share.start());
    }

    /** The files a rank took from a partition listing: its own, how many were listed, index of its first file. */
    record PartitionFiles(List<Path> files, int listed, int firstFile) {
    }

    /** The study's {@code Fine_Tune_Model} folder anywhere below {@code root}, if there is one. */
    static Optional<Path> findModelFolder(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().equals(MODEL_FOLDER)).sorted()
                    .findFirst();
        }
    }

    /**
     * The study's data_path as a local path: absolute paths under /tmp are moved under the work dir when that is
     * elsewhere (local runs), relative ones resolve against it.
     */
    Path localDataPath(String dataPath) {
        Path p = Path.of(dataPath);
        if (p.isAbsolute()) {
            Path tmp = Path.of("/tmp");
            return p.startsWith(tmp) && !work.equals(tmp) ? work.resolve(tmp.relativize(p)) : p;
        }
        return work.resolve(p);
    }

    long bytesCopied() {
        return bytesCopied;
    }

    int objectsCopied() {
        return objectsCopied;
    }

    int objectsReused() {
        return objectsReused;
    }

    private StoredObject copy(Storage storage, StoredObject o, Path target) throws IOException {
        String version = state.copiedVersion(target);
        if (o.etag() != null && o.etag().equals(version) && Files.isRegularFile(target)) {
            objectsReused++;
            return o;
        }
        StoredObject got = storage.download(o.key(), target);
        state.recordCopy(target, got.etag());
        bytesCopied += Files.size(target);
        objectsCopied++;
        log.debug("copied {} to {}", storage.describe(o.key()), target);
        return got;
    }

    /** Keys come from events and listings: they must not climb out of the work dir. */
    private Path local(String key) throws IOException {
        Path p = work.resolve(key).normalize();
        if (!p.startsWith(work)) {
            throw new IOException("key '" + key + "' would be copied outside " + work);
        }
        return p;
    }
}
