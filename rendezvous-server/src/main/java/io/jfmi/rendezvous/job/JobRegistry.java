package io.jfmi.rendezvous.job;

import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.Error;
import io.jfmi.protocol.proto.ErrorCode;
import io.jfmi.protocol.proto.PeerInfo;
import io.jfmi.rendezvous.metrics.ServerMetrics;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** All jobs the server holds, with the limits on how many and how large, and forgetting of finished jobs. */
public final class JobRegistry {
    private static final Logger log = LoggerFactory.getLogger(JobRegistry.class);

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final int maxJobs;
    private final int maxWorldSize;
    private final int maxFramePayload;
    private final Duration idleTimeout;
    private final ServerMetrics metrics;

    public JobRegistry(int maxJobs, int maxWorldSize, int maxFramePayload, Duration idleTimeout,
            ServerMetrics metrics) {
        this.maxJobs = maxJobs;
        this.maxWorldSize = maxWorldSize;
        this.maxFramePayload = maxFramePayload;
        this.idleTimeout = idleTimeout;
        this.metrics = metrics;
        metrics.gauges(jobs::size, () -> jobs.values().stream().mapToInt(Job::liveRanks).sum());
    }

    /** Registers a rank, creating its job on first contact. */
    public Job register(String jobId, int rank, int worldSize, Channel control, PeerInfo info)
            throws RegistrationException {
        if (worldSize < 1 || worldSize > maxWorldSize) {
            throw new RegistrationException(ErrorCode.LIMIT_EXCEEDED, "world size " + worldSize + " outside 1.."
                    + maxWorldSize + " (server limit --max-world-size)");
        }
        Job job;
        synchronized (this) {
            job = jobs.get(jobId);
            if (job == null) {
                if (jobs.size() >= maxJobs) {
                    throw new RegistrationException(ErrorCode.LIMIT_EXCEEDED, "the server already holds " + maxJobs
                            + " jobs (server limit --max-jobs)");
                }
                job = new Job(jobId, worldSize, maxFramePayload, metrics);
                jobs.put(jobId, job);
                log.info("job '{}' created for {} ranks", jobId, worldSize);
            }
        }
        job.register(rank, worldSize, control, info);
        return job;
    }

    /** The job, or null. */
    public Job find(String jobId) {
        return jobs.get(jobId);
    }

    /** Drops a job whose ranks have all gone. */
    public void forgetIfGone(Job job, boolean gone) {
        if (gone && jobs.remove(job.id(), job)) {
            log.info("job '{}' forgotten: all ranks left", job.id());
        }
    }

    /**
     * The server is stopping: from now on a rank whose connection closes is not reported to the others as failed
     * (the server closed it, the rank did not fail; ranks on direct links may finish without the server).
     */
    public void stopping() {
        jobs.values().forEach(Job::serverStopping);
    }

    public int jobCount() {
        return jobs.size();
    }

    /** Forgets jobs that never formed, or lost every connection, and saw no activity for the idle timeout. */
    public void sweep() {
        long now = System.nanoTime();
        for (Job job : jobs.values()) {
            boolean idle = now - job.lastActivityNanos() > idleTimeout.toNanos();
            if (!idle) {
                continue;
            }
            if (!job.formed() || job.liveRanks() == 0) {
                String why = job.formed() ? "no rank connected for " + idleTimeout.toSeconds() + " s"
                        : "only " + job.registeredCount() + " of " + job.worldSize() + " ranks registered within "
                                + idleTimeout.toSeconds() + " s";
                // Forget first, then tell: a rank that hears of it may retry with the same job id at once.
                jobs.remove(job.id(), job);
                metrics.error("job_idle_timeout");
                job.expire(why, ControlMessage.newBuilder().setError(Error.newBuilder().setCode(ErrorCode.TIMEOUT)
                        .setMessage("job '" + job.id() + "' forgotten: " + why)).build());
            }
        }
    }
}
