package io.jfmi.worker.lambda;

import io.jfmi.core.Communicator;
import io.jfmi.core.CommunicatorOptions;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.LocalJob;
import io.jfmi.core.ReduceOp;
import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.data.ShareReader;
import io.jfmi.worker.inference.EngineChoice;
import io.jfmi.worker.inference.RedshiftModel;
import io.jfmi.worker.job.InferenceTask;
import io.jfmi.worker.job.JobCombiner;
import io.jfmi.worker.job.ResultFiles;
import io.jfmi.worker.json.JsonCodec;
import io.jfmi.worker.storage.Storage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One invocation as one rank: join the job, copy this rank's inputs from the bucket, run the inference job exactly
 * as the local launcher's ranks do, and publish the results: every rank its own {@code execution_info.json}, rank 0
 * the job's files, then (after a barrier, so every rank's file is in) a {@code _SUCCESS} object, last.
 */
final class LambdaJob {
    private static final Logger log = LoggerFactory.getLogger(LambdaJob.class);
    static final String SUCCESS = "_SUCCESS";
    private static final long DEFAULT_JOIN_SECONDS = 600;

    private final ContainerState state;
    private final StudyEvent ev;
    private final InvocationDeadline deadline;
    private final PrintStream progress;
    private final long memorySizeMb;
    private final Map<String, Object> durations = new LinkedHashMap<>();

    /** @param memorySizeMb the function's memory setting, for the REPORT line */
    LambdaJob(ContainerState state, StudyEvent ev, InvocationDeadline deadline, PrintStream progress,
            long memorySizeMb) {
        this.state = state;
        this.ev = ev;
        this.deadline = deadline;
        this.progress = progress;
        this.memorySizeMb = memorySizeMb;
    }

    Map<String, Object> run() throws IOException {
        long t0 = System.nanoTime();
        if (ev.script() != null) {
            log.info("rank {}: standing in for the study's script {} with jfmi's inference", ev.rank(), ev.script());
        }
        if (!ev.ignoredKeys().isEmpty()) {
            log.warn("rank {}: ignoring unknown event keys {}", ev.rank(), ev.ignoredKeys());
        }
        deadline.check("joining the job", ev.rank());
        long joinStart = System.nanoTime();
        try (Communicator comm = connect()) {
            lap("join_seconds", joinStart);
            Prepared in;
            try {
                in = prepare(comm);
            } catch (IOException | RuntimeException e) {
                String reason = "rank " + ev.rank() + " cannot start: " + e.getMessage();
                log.error(reason);
                comm.abort(reason);
                throw e;
            }
            deadline.check("inference", ev.rank());
            Path out = state.workDir().resolve("results").resolve(ev.jfmi().jobId() + "-rank-" + ev.rank());
            InferenceTask.Settings settings = new InferenceTask.Settings(in.dataPath(), null,
                    ContainerState.engineChoice(ev.jfmi().engine()), ev.batchSize(), out, ev.jfmi().threads(),
                    memorySizeMb);
            long runStart = System.nanoTime();
            InferenceTask.Outcome o = InferenceTask.execute(comm, in.model(), in.share(), in.description(), settings,
                    progress);
            lap("job_seconds", runStart);
            long uploadStart = System.nanoTime();
            List<String> keys = publish(comm, o, in.model(), out);
            lap("upload_seconds", uploadStart);
            lap("total_seconds", t0);
            return summary(comm, in, o, keys);
        }
    }

    /** One job of world_size ranks through the rendezvous server; a one-rank job needs no server. */
    private Communicator connect() {
        StudyEvent.JfmiSettings j = ev.jfmi();
        Duration op = deadline.cap(Duration.ofSeconds(j.timeoutSeconds()));
        Duration join = deadline.cap(Duration.ofSeconds(DEFAULT_JOIN_SECONDS));
        CommunicatorOptions.Builder b = CommunicatorOptions.builder().jobId(j.jobId()).rank(ev.rank())
                .worldSize(ev.worldSize()).operationTimeout(op).joinTimeout(join);
        if (ev.worldSize() == 1) {
            return Communicator.connect(b.build(), new LocalJob(1));
        }
        b.rendezvous(j.rendezvous()).secret(j.secret().getBytes(StandardCharsets.UTF_8)).sealLinks(j.sealLinks())
                .healLinks(io.jfmi.core.HealLinks.valueOf(j.healLinks().toUpperCase(java.util.Locale.ROOT)))
                .tls(j.tls()).tlsTrust(j.tlsTrust() == null ? null : java.nio.file.Path.of(j.tlsTrust()));
        log.info("rank {} of {}: joining job '{}' at {} (operation deadline {} ms, join deadline {} ms)", ev.rank(),
                ev.worldSize(), j.jobId(), j.rendezvous(), op.toMillis(), join.toMillis());
        return Communicator.connect(b.build());
    }

    /** The inputs of this rank, copied and loaded. */
    private record Prepared(RedshiftModel model, GalaxyDataset.Loaded share, Path dataPath, String description,
            InputStager stager) {
    }

    private Prepared prepare(Communicator comm) throws IOException {
        long start = System.nanoTime();
        InputStager stager = new InputStager(state);
        Path folder = null;
        Path dataFile = null;
        try (Storage bucket = state.storage(ev.bucket())) {
            if (ev.objectName() != null) {
                if (ev.objectType() == StudyEvent.ObjectType.FOLDER) {
                    folder = stager.copyFolder(bucket, ev.objectName());
                } else {
                    dataFile = stager.copyFile(bucket, ev.objectName());
                }
            }
            lap("copy_seconds", start);
            long modelStart = System.nanoTime();
            RedshiftModel model = state.model(modelPath(bucket, stager, folder),
                    ContainerState.engineChoice(ev.jfmi().engine()), ev.jfmi().threads());
            lap("model_seconds", modelStart);
            long dataStart = System.nanoTime();
            GalaxyDataset.Loaded share;
            Path dataPath;
            String description;
            if (ev.shape() == StudyEvent.Shape.PARTITION) {
                try (Storage dataBucket = state.storage(ev.dataBucket())) {
                    InputStager.PartitionFiles files = stager.copyPartitionShare(dataBucket, ev.dataPrefix(),
                            ev.fileLimit(), ev.rank(), ev.worldSize());
                    share = partitionShare(comm, files);
                    dataPath = state.workDir().resolve("partition").resolve(ev.dataPrefix());
                    description = dataBucket.describe(ev.dataPrefix()) + " (" + files.listed() + " files)";
                }
            } else {
                dataPath = ev.dataPath() != null ? stager.localDataPath(ev.dataPath()) : dataFile;
                if (dataPath == null) {
                    throw new IOException("no data: give data_path, or object_type \"file\" with S3_object_name");
                }
                if (!Files.exists(dataPath)) {
                    throw new IOException("data_path " + ev.dataPath() + " (" + dataPath + ") does not exist after "
                            + "copying " + bucket.describe(ev.objectName()) + (folder != null ? "/" : ""));
                }
                share = ShareReader.read(dataPath, ev.rank(), ev.worldSize());
                description = bucket.describe(ev.objectName() == null ? "" : ev.objectName()) + " -> " + dataPath;
            }
            lap("data_seconds", dataStart);
            return new Prepared(model, share, dataPath, description, stager);
        }
    }

    /**
     * A rank's files of a partition, concatenated; the global index of its first sample is the sum of the samples
     * of the ranks before it (an exclusive scan), so predictions keep the listing's order across ranks.
     */
    private static GalaxyDataset.Loaded partitionShare(Communicator comm, InputStager.PartitionFiles files)
            throws IOException {
        List<GalaxyDataset> parts = new ArrayList<>();
        for (Path f : files.files()) {
            parts.add(ShareReader.read(f, 0, 1).data());
        }
        GalaxyDataset mine = GalaxyDataset.concat(parts);
        long[] count = {mine.count()};
        long[] before = new long[1];
        comm.exscan(DataBuffer.of(count), DataBuffer.of(before), ReduceOp.SUM);
        long first = comm.rank() == 0 ? 0 : before[0]; // exscan leaves rank 0's result undefined, as MPI does
        long[] total = {mine.count()};
        comm.allreduce(DataBuffer.of(total), ReduceOp.SUM);
        return new GalaxyDataset.Loaded(mine, first, total[0]);
    }

    /**
     * The model: jfmi's model key (a local path, s3://bucket/key, or a key in the event's bucket), else the study's
     * Fine_Tune_Model folder in the copied folder, else the model shipped in the artifact.
     */
    private Path modelPath(Storage bucket, InputStager stager, Path folder) throws IOException {
        String m = ev.jfmi().model();
        if (m != null) {
            if (m.startsWith("s3://")) {
                String rest = m.substring(5);
                int slash = rest.indexOf('/');
                if (slash < 1) {
                    throw new PayloadException("key 'model' must look like s3://bucket/key, got " + m);
                }
                try (Storage other = state.storage(rest.substring(0, slash))) {
                    return stager.copyFile(other, rest.substring(slash + 1));
                }
            }
            if (m.equals(ContainerState.SHIPPED)) {
                return state.shippedModel(ContainerState.engineChoice(ev.jfmi().engine()));
            }
            Path local = Path.of(m);
            return local.isAbsolute() && Files.exists(local) ? local : stager.copyFile(bucket, m);
        }
        if (folder != null) {
            var found = InputStager.findModelFolder(folder);
            if (found.isPresent()) {
                return found.get();
            }
        }
        log.info("rank {}: no model key and no {} folder: using the model shipped in the artifact", ev.rank(),
                InputStager.MODEL_FOLDER);
        return state.shippedModel(ContainerState.engineChoice(ev.jfmi().engine()));
    }

    /** Every rank its execution_info; rank 0 the job's files; after a barrier, rank 0 writes _SUCCESS. */
    private List<String> publish(Communicator comm, InferenceTask.Outcome o, RedshiftModel model, Path out)
            throws IOException {
        String prefix = ev.resultPrefix();
        List<String> keys = new ArrayList<>();
        try (Storage bucket = state.storage(ev.bucket())) {
            if (comm.rank() == JobCombiner.ROOT) {
                bucket.delete(prefix + "/" + SUCCESS); // a rerun into the same prefix is incomplete until it ends
            }
            comm.barrier(); // no rank publishes before the old marker is gone
            Path mine = out.resolve("rank-" + comm.rank() + "-" + ResultFiles.EXECUTION_INFO);
            ResultFiles.writeRankExecutionInfo(mine, o.mine(), comm.jobId(), comm.size(), model.engine(),
                    model.description());
            String rankKey = prefix + "/rank-" + comm.rank() + "/" + ResultFiles.EXECUTION_INFO;
            bucket.upload(mine, rankKey);
            keys.add(rankKey);
            for (Path f : o.written()) {
                String key = prefix + "/" + f.getFileName();
                bucket.upload(f, key);
                keys.add(key);
            }
            comm.barrier(); // every rank's objects are in
            if (comm.rank() == JobCombiner.ROOT) {
                String marker = JsonCodec.write(Map.of("job", comm.jobId(), "world_size", comm.size()));
                bucket.put(prefix + "/" + SUCCESS, marker.getBytes(StandardCharsets.UTF_8));
                keys.add(prefix + "/" + SUCCESS);
            }
            log.info("rank {}: wrote {}", comm.rank(), keys.stream().map(bucket::describe).toList());
            return keys;
        }
    }

    private Map<String, Object> summary(Communicator comm, Prepared in, InferenceTask.Outcome o, List<String> keys) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("rank", comm.rank());
        s.put("world_size", comm.size());
        s.put("job_id", comm.jobId());
        s.put("payload", ev.shape().name().toLowerCase(java.util.Locale.ROOT));
        if (ev.script() != null) {
            s.put("stood_in_for_script", ev.script());
        }
        s.put("samples", in.share().data().count());
        s.put("first_index", in.share().firstIndex());
        s.put("total_samples", in.share().totalSamples());
        s.put("batches", o.mine().batches());
        s.put("batch_size", ev.batchSize());
        s.put("engine", in.model().engine());
        s.put("model", in.model().description());
        s.put("samples_per_second", o.mine().samplesPerSecond());
        s.put("container_init_ms", state.initMillis());
        s.put("objects_copied", in.stager().objectsCopied());
        s.put("objects_reused", in.stager().objectsReused());
        s.put("bytes_copied", in.stager().bytesCopied());
        s.put("durations", durations);
        s.put("results", ev.resultPrefix() + "/");
        s.put("keys_written", keys);
        if (comm.rank() == JobCombiner.ROOT) {
            s.put("metrics", ResultFiles.metricsJson(o.combined().metrics()));
        }
        return s;
    }

    private void lap(String name, long startNanos) {
        durations.put(name, Math.round((System.nanoTime() - startNanos) / 1e6) / 1e3);
    }
}
