package io.jfmi.worker.lambda;

import java.util.List;

/**
 * One invocation's request, whichever of the study's three payload shapes it came in, plus jfmi's own settings.
 *
 * @param shape        which payload it was
 * @param bucket       where the study's folder or file is, and where results go (an S3 bucket name, or a local
 *                     folder for local runs: a path starting with '/' or file:)
 * @param rank         this invocation's rank
 * @param worldSize    ranks in the job
 * @param objectType   folder (copy the prefix) or file (one object)
 * @param objectName   the study's {@code S3_object_name}: a prefix (folder) or key (file); null if absent
 * @param dataPath     local path of the data file after the copy ({@code /tmp/...}); null for the partition payload
 * @param script       the study's Python entry point, which jfmi stands in for; may be null
 * @param batchSize    samples per batch
 * @param resultPath   the study's {@code result_path} (partition payload); null otherwise
 * @param fileLimit    partition payload: most files to list; 0 = no limit
 * @param dataBucket   partition payload: bucket of the data files (default: bucket)
 * @param dataPrefix   partition payload: prefix of the data files
 * @param jfmi         jfmi's own settings
 * @param ignoredKeys  keys the handler does not know (logged, not an error)
 */
public record StudyEvent(Shape shape, String bucket, int rank, int worldSize, ObjectType objectType, String objectName,
        String dataPath, String script, int batchSize, String resultPath, int fileLimit, String dataBucket,
        String dataPrefix, JfmiSettings jfmi, List<String> ignoredKeys) {

    /** The three payloads of the study, as its Step Function and executor sent them. */
    public enum Shape {
        /** bucket, world_size, rank, object_type, S3_object_name, data_path, script, batch_size */
        INFERENCE,
        /**
         * bucket, file_limit, batch_size, object_type, S3_object_name, script, result_path, data_bucket,
         * data_prefix
         */
        PARTITION,
        /** S3_BUCKET, S3_OBJECT_NAME, S3_OBJECT_TYPE, SCRIPT, WORLD_SIZE, RANK, data_path */
        EXECUTOR
    }

    public enum ObjectType {
        FOLDER, FILE
    }

    /**
     * jfmi's keys, from the event or the environment (the event wins).
     *
     * @param rendezvous     host:port of the rendezvous server; needed when world_size > 1
     * @param jobId          job id shared by all ranks; needed when world_size > 1
     * @param secret         the job secret; needed when world_size > 1
     * @param engine         auto, pytorch or onnxruntime
     * @param model          model path (local, s3://bucket/key, or a key in bucket); null = the folder's
     *                       Fine_Tune_Model, else the artifact's model
     * @param timeoutSeconds deadline of each collective (further bounded by the invocation's remaining time)
     * @param resultPrefix   where results go in the bucket; null = result_path, else jfmi-results/JOB
     * @param threads        engine threads; 0 = engine default
     */
    /**
     * jfmi's own settings; {@code tlsTrust} is null for the JVM's trust store and only read when {@code tls};
     * {@code healLinks} is off, punched or all.
     */
    public record JfmiSettings(String rendezvous, String jobId, String secret, String engine, String model,
            long timeoutSeconds, String resultPrefix, int threads, boolean tls, String tlsTrust, boolean sealLinks,
            String healLinks) {
    }

    /** Where the results go: the explicit prefix, the study's result_path, or jfmi-results/JOB, without a '/' end. */
    public String resultPrefix() {
        String p = jfmi.resultPrefix() != null ? jfmi.resultPrefix()
                : resultPath != null ? resultPath : "jfmi-results/" + jfmi.jobId();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
