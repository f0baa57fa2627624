package io.jfmi.protocol;

import java.util.regex.Pattern;

/** The rules a rank and the server both check, so a request the client accepts is one the server accepts. */
public final class Limits {
    /** Largest world size the wire format and the channel plan are built for. */
    public static final int MAX_WORLD_SIZE = 4096;

    /** What a job id may be, for error messages. */
    public static final String JOB_ID_RULE = "1-128 characters of letters, digits, '.', '_', ':' or '-'";

    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private Limits() {
    }

    public static boolean isValidJobId(String jobId) {
        return jobId != null && JOB_ID.matcher(jobId).matches();
    }
}
